using System.Text.Json;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Tests.Releases;

public sealed class DueOffsetTests
{
    [Theory]
    [InlineData("-14d", -14 * 24 * 60)]
    [InlineData("+30m", 30)]
    [InlineData("+1d2h", 26 * 60)]
    [InlineData("+1h30m", 90)]
    [InlineData("-2d12h", -60 * 60)]
    [InlineData("+0m", 0)]
    [InlineData("+2d", 2 * 24 * 60)]
    public void TryParse_TemplateNotation_ParsesAndFormatsBackTheSame(string text, int minutes)
    {
        var parsed = DueOffset.TryParse(text, out var offset);

        Assert.True(parsed);
        Assert.Equal(TimeSpan.FromMinutes(minutes), offset.Value);
        Assert.Equal(text, offset.ToString());
    }

    [Theory]
    [InlineData("14d")]
    [InlineData("+")]
    [InlineData("-1x")]
    [InlineData("+1h1d")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("tomorrow")]
    public void TryParse_NotAnOffset_IsRejected(string? text)
    {
        var parsed = DueOffset.TryParse(text, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void ToString_MinutesOverflowingIntoHours_FormatsAsDaysHoursMinutes()
    {
        var offset = new DueOffset(TimeSpan.FromMinutes(-(24 * 60 + 90)));

        var text = offset.ToString();

        Assert.Equal("-1d1h30m", text);
        Assert.True(DueOffset.TryParse(text, out var back));
        Assert.Equal(offset, back);
    }

    [Fact]
    public void Json_Offset_IsWrittenAndReadInTemplateNotation()
    {
        var offset = new DueOffset(TimeSpan.FromHours(-36));

        var json = JsonSerializer.Serialize(offset);

        Assert.Equal("\"-1d12h\"", json);
        Assert.Equal(offset, JsonSerializer.Deserialize<DueOffset>(json));
    }
}
