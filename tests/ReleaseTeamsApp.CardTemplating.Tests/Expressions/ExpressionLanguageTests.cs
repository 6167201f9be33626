using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace ReleaseTeamsApp.CardTemplating.Tests.Expressions;

public sealed class ExpressionLanguageTests
{
    private const string Data = """
        {"a": 10, "b": 4, "f": 2.5, "s": " Hi There ", "name": "Bob", "flag": true, "nothing": null,
         "arr": [3, 1, 2], "tags": ["x", "y", "z"], "items": [{"n": "p", "q": 2}, {"n": "r", "q": 0}],
         "owner": {"name": "Ann"}, "md": "${a}", "ts": "2026-12-10T14:30:00.000Z"}
        """;

    private static JsonNode? Eval(string value, TimeProvider? time = null)
    {
        var template = new Template(new JsonObject { ["v"] = value }) { TimeProvider = time ?? TimeProvider.System };
        return template.ExpandToNode(JsonNode.Parse(Data))!["v"];
    }

    [Theory]
    [InlineData("${a + b * 2}", "18")]
    [InlineData("${(a + b) * 2}", "28")]
    [InlineData("${a / b}", "2")]
    [InlineData("${f / 2}", "1.25")]
    [InlineData("${a % 3}", "1")]
    [InlineData("${-a + 1}", "-9")]
    [InlineData("${a - b - 1}", "5")]
    [InlineData("${a > b && b > 5 || flag}", "true")]
    [InlineData("${!flag}", "false")]
    [InlineData("${a == 10}", "true")]
    [InlineData("${a != 10}", "false")]
    [InlineData("${a <= 10}", "true")]
    [InlineData("${a >= 11}", "false")]
    [InlineData("${'x' + 1}", "\"x1\"")]
    public void Expand_Operators_FollowPrecedence(string expression, string expected)
    {
        var actual = Eval(expression);

        Assert.Equal(expected, actual?.ToJsonString());
    }

    [Theory]
    [InlineData("${if(flag, 'y', 'n')}", "\"y\"")]
    [InlineData("${equals(a, 10)}", "true")]
    [InlineData("${not(flag)}", "false")]
    [InlineData("${and(flag, a > 1)}", "true")]
    [InlineData("${or(false, nothing)}", "false")]
    [InlineData("${greater(a, b)}", "true")]
    [InlineData("${greaterOrEquals(a, 10)}", "true")]
    [InlineData("${less(a, b)}", "false")]
    [InlineData("${lessOrEquals(b, 4)}", "true")]
    [InlineData("${exists(nothing)}", "false")]
    [InlineData("${exists(name)}", "true")]
    [InlineData("${empty(tags)}", "false")]
    [InlineData("${count(tags)}", "3")]
    [InlineData("${length(name)}", "3")]
    [InlineData("${concat(name, '-', a)}", "\"Bob-10\"")]
    [InlineData("${join(tags, ', ', ' and ')}", "\"x, y and z\"")]
    [InlineData("${toUpper(name)}", "\"BOB\"")]
    [InlineData("${toLower(name)}", "\"bob\"")]
    [InlineData("${trim(s)}", "\"Hi There\"")]
    [InlineData("${substring(name, 1, 2)}", "\"ob\"")]
    [InlineData("${replace(name, 'o', '0')}", "\"B0b\"")]
    [InlineData("${split('a,b', ',')}", "[\"a\",\"b\"]")]
    [InlineData("${contains(tags, 'y')}", "true")]
    [InlineData("${startsWith(name, 'B')}", "true")]
    [InlineData("${endsWith(name, 'x')}", "false")]
    [InlineData("${string(1234.5)}", "\"1,234.5\"")]
    [InlineData("${int('42') + 1}", "43")]
    [InlineData("${float('2.5') * 2}", "5")]
    [InlineData("${bool('false')}", "false")]
    [InlineData("${json('{\"k\": [1]}')}", "{\"k\":[1]}")]
    [InlineData("${add(a, 1)}", "11")]
    [InlineData("${sub(a, 1)}", "9")]
    [InlineData("${mul(a, f)}", "25")]
    [InlineData("${div(a, 4)}", "2")]
    [InlineData("${mod(a, 4)}", "2")]
    [InlineData("${max(arr)}", "3")]
    [InlineData("${min(5, 2, 9)}", "2")]
    [InlineData("${round(2.345, 2)}", "2.35")]
    [InlineData("${first(tags)}", "\"x\"")]
    [InlineData("${last(tags)}", "\"z\"")]
    [InlineData("${where(items, i, i.q > 0)}", "[{\"n\":\"p\",\"q\":2}]")]
    [InlineData("${select(items, i, i.n)}", "[\"p\",\"r\"]")]
    [InlineData("${foreach(arr, x => x * 2)}", "[6,2,4]")]
    [InlineData("${coalesce(nothing, name)}", "\"Bob\"")]
    [InlineData("${formatDateTime(ts, 'yyyy-MM-dd HH:mm')}", "\"2026-12-10 14:30\"")]
    [InlineData("${formatNumber(1234.567, 2)}", "\"1,234.57\"")]
    [InlineData("${addDays(ts, 2)}", "\"2026-12-12T14:30:00.000Z\"")]
    [InlineData("${sortBy(arr)}", "[1,2,3]")]
    [InlineData("${take(arr, 2)}", "[3,1]")]
    [InlineData("${skip(arr, 2)}", "[2]")]
    [InlineData("${createArray(1, 'a')}", "[1,\"a\"]")]
    public void Expand_BuiltInFunction_MatchesReference(string expression, string expected)
    {
        var actual = Eval(expression);

        Assert.Equal(expected, actual?.ToJsonString());
    }

    [Fact]
    public void Expand_UtcNow_ReadsInjectedTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 10, 8, 5, 0, TimeSpan.Zero));

        var actual = Eval("${utcNow('yyyy-MM-dd HH:mm')}", time);

        Assert.Equal("2026-12-10 08:05", actual?.GetValue<string>());
    }

    [Theory]
    [InlineData("${missing}", "${missing}")]
    [InlineData("Hi ${owner.missing}!", "Hi ${owner.missing}!")]
    [InlineData("x ${div(a, 0)}", "x ${(a / 0)}")]
    [InlineData("x ${nope(1)}", "x ${nope(1)}")]
    [InlineData("${div(a, 0)}", "${div(a, 0)}")]
    [InlineData("${a +}", "${a +}")]
    public void Expand_UnresolvableOrFailing_LeftAsWritten(string expression, string expected)
    {
        var actual = Eval(expression);

        Assert.Equal(expected, actual?.GetValue<string>());
    }

    [Fact]
    public void Expand_DataStringLooksLikeExpression_IsNotEvaluated()
    {
        var actual = Eval("${md} and ${md}");

        Assert.Equal("${a} and ${a}", actual?.GetValue<string>());
    }

    [Fact]
    public void Expand_InterpolatedObjectAndBool_UsesJavaScriptToString()
    {
        var actual = Eval("${owner} ${flag} ${arr} ${f}");

        Assert.Equal("[object Object] true 3,1,2 2.5", actual?.GetValue<string>());
    }
}
