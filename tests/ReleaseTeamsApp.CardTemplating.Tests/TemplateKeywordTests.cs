using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating.Tests;

public sealed class TemplateKeywordTests
{
    private static string Expand(string template, string data, string? host = null) =>
        new Template(template).Expand(data, host);

    [Fact]
    public void Expand_WhenNotExactlyTrue_RemovesElement()
    {
        const string template = """{"body":[{"t":"a","$when":"${flag}"},{"t":"b","$when":"${'true'}"},{"t":"c","$when":"${n > 1}"}]}""";

        var actual = Expand(template, """{"flag": true, "n": 5}""");

        Assert.Equal("""{"body":[{"t":"a"},{"t":"c"}]}""", actual);
    }

    [Fact]
    public void Expand_DataArray_RepeatsElementWithIndex()
    {
        const string template = """{"body":[{"text":"${$index}:${name} of ${$root.title}","$data":"${people}"}]}""";

        var actual = Expand(template, """{"title": "T", "people": [{"name": "A"}, {"name": "B"}]}""");

        Assert.Equal("""{"body":[{"text":"0:A of T"},{"text":"1:B of T"}]}""", actual);
    }

    [Fact]
    public void Expand_DataEmptyArray_RemovesElement()
    {
        var actual = Expand("""{"body":[{"x":1,"$data":"${none}"},{"y":2}]}""", """{"none": []}""");

        Assert.Equal("""{"body":[{"y":2}]}""", actual);
    }

    [Fact]
    public void Expand_DataObject_ScopesSubtreeAndRestoresAfter()
    {
        const string template = """{"a":{"$data":"${owner}","n":"${name}"},"b":"${name}"}""";

        var actual = Expand(template, """{"name": "root", "owner": {"name": "inner"}}""");

        Assert.Equal("""{"a":{"n":"inner"},"b":"root"}""", actual);
    }

    [Fact]
    public void Expand_DataStrings_IterateAsCurrentItem()
    {
        var actual = Expand("""{"body":[{"text":"${$data}","$data":"${tags}"}]}""", """{"tags": ["x", "y"]}""");

        Assert.Equal("""{"body":[{"text":"x"},{"text":"y"}]}""", actual);
    }

    [Fact]
    public void Expand_Host_IsReadableAsDollarHost()
    {
        var actual = Expand("""{"theme":"${$host.theme}"}""", "{}", """{"theme": "dark"}""");

        Assert.Equal("""{"theme":"dark"}""", actual);
    }

    [Fact]
    public void Expand_WholeValueBinding_KeepsJsonType()
    {
        var actual = Expand("""{"n":"${n}","b":"${b}","o":"${o}","s":"n=${n}"}""", """{"n": 1.5, "b": false, "o": {"k": [1]}}""");

        Assert.Equal("""{"n":1.5,"b":false,"o":{"k":[1]},"s":"n=1.5"}""", actual);
    }

    [Fact]
    public void Expand_RepeatedCalls_DoNotShareState()
    {
        var template = new Template("""{"v":"${v}","list":[{"$data":"${xs}","x":"${$data}"}]}""");

        var first = template.ExpandToNode(JsonNode.Parse("""{"v": 1, "xs": [1, 2]}"""));
        var second = template.ExpandToNode(JsonNode.Parse("""{"v": 2, "xs": []}"""));

        Assert.Equal("""{"v":1,"list":[{"x":1},{"x":2}]}""", first?.ToJsonString());
        Assert.Equal("""{"v":2,"list":[]}""", second?.ToJsonString());
    }
}
