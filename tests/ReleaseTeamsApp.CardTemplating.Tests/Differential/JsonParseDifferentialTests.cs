using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating.Tests.Differential;

/// <summary>
/// Templates and data that JSON.parse accepts but System.Text.Json's JsonNode does not read the same way, expanded by
/// this engine and by the reference JS engine (JSON.parse → Template.expand → JSON.stringify) from the same text.
/// </summary>
public sealed class JsonParseDifferentialTests
{
    private const string Card = """{"type":"TextBlock","text":"${name}","size":"${size}"}""";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "repeated key in the data: last wins", Card, """{"name":"first","size":"small","name":"second"}""" },
        { "repeated key in the template: last wins", """{"type":"TextBlock","text":"literal","text":"${name}"}""", """{"name":"Ann"}""" },
        { "repeated key in a $data item", """{"type":"Container","items":[{"$data":"${people}","type":"TextBlock","text":"${name}"}]}""", """{"people":[{"name":"a","name":"b"},{"name":"c"}]}""" },
        { "repeated key holding objects", """{"a":"${x.y}","b":"${x.z}"}""", """{"x":{"y":1},"x":{"z":2}}""" },
        { "integers beyond 2^53", """{"whole":"${n}","text":"n=${n}","next":"${m}"}""", """{"n":12345678901234567890,"m":9007199254740993}""" },
        { "numbers beyond double range", """{"whole":"${n}","text":"n=${n}","neg":"${m}"}""", """{"n":1e400,"m":-1e400}""" },
        { "negative zero, tiny and exponent numbers", """{"z":"${z}","t":"${t}","e":"${e}","s":"s=${t}"}""", """{"z":-0,"t":5e-324,"e":1E+21}""" },
        { "lone high surrogate", """{"whole":"${s}","text":"[${s}]"}""", """{"s":"\ud800"}""" },
        { "lone low surrogate and a pair", """{"whole":"${s}","pair":"${p}","mixed":"${s}${p}"}""", """{"s":"\udc00x","p":"\ud83d\ude00"}""" },
        { "surrogate in a key", """{"v":"${$root['\ud800']}"}""", """{"\ud800":"lonely key"}""" },
        { "line and paragraph separators, NUL, escapes", """{"a":"${a}","b":"<${b}>"}""", """{"a":"\u2028\u2029\u0000\u001f","b":"\"\\\/\b\f\n\r\t"}""" },
        { "every JSON whitespace", " \t\r\n{ \"t\" : \"${name}\" }\n", "\r\n\t {\"name\"\t:\n\"Ann\"} " },
        { "top-level array data", """{"first":"${$root[0]}","count":"${count($root)}"}""", """[1,2,3]""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Expand_TextJsonParseAccepts_MatchesReferenceEngine(string what, string template, string data)
    {
        var reference = Assert.Single(ReferenceEngine.ExpandAllText([(template, data)]));
        Assert.False(reference.Threw, $"the reference engine refused the case '{what}'");

        var actual = new Template(template).Expand(data);

        Assert.True(JsonNode.DeepEquals(JsonText.Parse(reference.Output!), JsonText.Parse(actual)), $"{what}\nreference: {reference.Output}\nengine:    {actual}");
        Assert.Equal(reference.Output, actual);
    }

    [Fact]
    public void Parse_RepeatedKey_KeepsFirstPositionAndLastValue()
    {
        var node = JsonText.Parse("""{"a":1,"b":2,"a":3}""")!.AsObject();

        Assert.Equal(["a", "b"], node.Select(p => p.Key));
        Assert.Equal(3, (int)node["a"]!);
    }

    [Theory]
    [InlineData("{\"a\":1,}", 1, 8)]
    [InlineData("{\n  \"a\": 01\n}", 2, 9)]
    [InlineData("[1, 2", 1, 6)]
    [InlineData("{'a':1}", 1, 2)]
    [InlineData("\"tab\there\"", 1, 5)]
    [InlineData("NaN", 1, 1)]
    public void Parse_TextJsonParseRefuses_ThrowsWithLineAndColumn(string text, int line, int column)
    {
        var error = Assert.Throws<JsonTextException>(() => JsonText.Parse(text));

        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_NestedBeyondLimit_ThrowsWithAMessageInsteadOfExhaustingTheStack()
    {
        var text = new string('[', JsonText.MaxDepth + 1) + new string(']', JsonText.MaxDepth + 1);

        var error = Assert.Throws<JsonTextException>(() => JsonText.Parse(text));

        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
    }
}
