using System.Globalization;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating.Tests.Differential;

/// <summary>Seeded random templates and data over the deterministic part of the language (no utcNow).</summary>
internal sealed class TemplateGenerator(int seed)
{
    private static readonly string[] Words = ["alpha", "Beta", "gamma ray", "", "x", "Release 2.4", "${notAnExpression}", "a,b,c"];
    private static readonly string[] ScalarPaths = ["title", "n", "f", "flag", "owner.name", "owner.email", "items[0].name", "items[1].qty", "tags[0]", "$root.title", "missing", "owner.missing", "$root.n", "nothing", "TITLE"];
    private static readonly string[] ListPaths = ["items", "tags", "empty", "numbers"];
    private static readonly string[] ItemPaths = ["name", "qty", "done", "$index", "$root.title", "missing", "$data.name", "tags"];

    private readonly Random _random = new(seed);

    public JsonNode Data()
    {
        var items = new JsonArray();
        for (var i = _random.Next(0, 4); i > 0; i--)
        {
            items.Add(new JsonObject { ["name"] = Word(), ["qty"] = _random.Next(-3, 20), ["done"] = _random.Next(2) == 0 });
        }

        var numbers = new JsonArray();
        for (var i = _random.Next(1, 5); i > 0; i--)
        {
            numbers.Add(Math.Round(_random.NextDouble() * 100 - 20, _random.Next(0, 3)));
        }

        return new JsonObject
        {
            ["title"] = Word(),
            ["n"] = _random.Next(-5, 1000),
            ["f"] = Math.Round(_random.NextDouble() * 50, _random.Next(1, 4)),
            ["flag"] = _random.Next(2) == 0,
            ["owner"] = new JsonObject { ["name"] = Word(), ["email"] = "a@b.c" },
            ["tags"] = new JsonArray(Word(), Word()),
            ["items"] = items,
            ["numbers"] = numbers,
            ["empty"] = new JsonArray(),
            ["nothing"] = null,
        };
    }

    public JsonNode Template() => new JsonObject
    {
        ["type"] = "AdaptiveCard",
        ["body"] = new JsonArray(Enumerable.Range(0, _random.Next(1, 5)).Select(_ => Element(2)).ToArray()),
    };

    private JsonObject Element(int depth)
    {
        var obj = new JsonObject { ["type"] = "TextBlock", ["text"] = StringValue(inItem: false) };
        switch (_random.Next(6))
        {
            case 0:
                obj["$data"] = "${" + ListPaths[_random.Next(ListPaths.Length)] + "}";
                obj["text"] = ItemString();
                break;
            case 1:
                obj["$when"] = "${" + Condition() + "}";
                break;
            case 2:
                obj["$data"] = "${owner}";
                obj["text"] = "${name} <${email}>";
                break;
            case 3 when depth > 0:
                obj["type"] = "Container";
                obj["items"] = new JsonArray(Element(depth - 1), Element(depth - 1));
                break;
            case 4:
                obj["value"] = "${" + Expression(2) + "}";
                break;
        }

        return obj;
    }

    private string ItemString() => _random.Next(3) switch
    {
        0 => "${" + ItemPaths[_random.Next(ItemPaths.Length)] + "}",
        1 => "#${$index}: ${" + ItemPaths[_random.Next(ItemPaths.Length)] + "}",
        _ => "${if(" + Condition() + ", 'y', 'n')} ${" + ItemPaths[_random.Next(ItemPaths.Length)] + "}",
    };

    private string StringValue(bool inItem) => _random.Next(3) switch
    {
        0 => "${" + Expression(2) + "}",
        1 => Word() + " ${" + Expression(2) + "} and ${" + Expression(1) + "}",
        _ => Word(),
    };

    private string Condition() => _random.Next(8) switch
    {
        0 => "flag",
        1 => "n > " + _random.Next(-5, 500),
        2 => "equals(title, '" + Word() + "')",
        3 => "!flag",
        4 => "exists(" + ScalarPaths[_random.Next(ScalarPaths.Length)] + ")",
        5 => "count(items) >= " + _random.Next(0, 3),
        6 => "n == 3 || flag && f < 20",
        _ => "empty(" + ListPaths[_random.Next(ListPaths.Length)] + ")",
    };

    private string Expression(int depth)
    {
        if (depth == 0)
        {
            return _random.Next(4) switch
            {
                0 => _random.Next(0, 100).ToString(CultureInfo.InvariantCulture),
                1 => "'" + Word() + "'",
                _ => ScalarPaths[_random.Next(ScalarPaths.Length)],
            };
        }

        string Sub() => Expression(depth - 1);
        string Num() => _random.Next(2) == 0 ? "n" : _random.Next(1, 9).ToString(CultureInfo.InvariantCulture);
        return _random.Next(34) switch
        {
            0 => Sub() + " + " + Sub(),
            1 => Num() + " * " + Num() + " - f",
            2 => "n / " + _random.Next(1, 7),
            3 => "f / " + _random.Next(1, 7),
            4 => "n % " + _random.Next(1, 7),
            5 => "concat(" + Sub() + ", '-', " + Sub() + ")",
            6 => "toUpper(" + Sub() + ")",
            7 => "toLower(title)",
            8 => "trim(' " + Word() + " ')",
            9 => "length(title)",
            10 => "count(" + ListPaths[_random.Next(ListPaths.Length)] + ")",
            11 => "join(tags, ', ')",
            12 => "join(numbers, ', ', ' and ')",
            13 => "if(" + Condition() + ", " + Sub() + ", " + Sub() + ")",
            14 => "string(" + Sub() + ")",
            15 => "int('" + _random.Next(0, 99) + "') + 1",
            16 => "float('2.5') * n",
            17 => "max(numbers)",
            18 => "min(n, 3, f)",
            19 => "round(f, " + _random.Next(0, 3) + ")",
            20 => "first(tags)",
            21 => "last(numbers)",
            22 => "where(items, x, x.done)",
            23 => "select(items, i, i.qty)",
            24 => "join(select(items, i, i.name), '|')",
            25 => "coalesce(nothing, " + Sub() + ")",
            26 => "formatNumber(f, " + _random.Next(0, 3) + ")",
            27 => "replace(title, 'a', 'o')",
            28 => "split('a,b,c', ',')",
            29 => "contains(tags, " + Sub() + ")",
            30 => "startsWith(title, 'a')",
            31 => "sortBy(numbers)",
            32 => "take(numbers, 2)",
            _ => "createArray(" + Sub() + ", n)",
        };
    }

    private string Word() => Words[_random.Next(Words.Length)];

    /// <summary>Templates one step smaller: a property or array element removed, or a string made plain.</summary>
    public static IEnumerable<JsonNode> Reductions(JsonNode template)
    {
        var paths = new List<JsonNode>();
        Collect(template, paths);
        foreach (var node in paths)
        {
            var path = node.GetPath();
            var copy = template.DeepClone();
            var target = Find(copy, path);
            if (target?.Parent is JsonObject parent)
            {
                parent.Remove(target.GetPropertyName());
                yield return copy;
            }
            else if (target?.Parent is JsonArray array)
            {
                array.RemoveAt(target.GetElementIndex());
                yield return copy;
            }
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        if (node.Parent is not null)
        {
            into.Add(node);
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, into);
                    }
                }

                break;
            case JsonArray arr:
                foreach (var child in arr)
                {
                    if (child is not null)
                    {
                        Collect(child, into);
                    }
                }

                break;
        }
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        var found = (JsonNode?)null;
        var all = new List<JsonNode>();
        Collect(root, all);
        foreach (var node in all)
        {
            if (node.GetPath() == path)
            {
                found = node;
                break;
            }
        }

        return found;
    }
}
