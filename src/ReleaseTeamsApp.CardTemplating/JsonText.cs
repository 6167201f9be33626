using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating;

/// <summary>The JSON text is not JSON: what is wrong and where (1-based line and column).</summary>
public sealed class JsonTextException(string problem, int line, int column)
    : FormatException($"{problem} at line {line}, column {column}")
{
    public string Problem { get; } = problem;

    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>
/// JSON text read and written the way JavaScript's <c>JSON.parse</c> and <c>JSON.stringify</c> do, so templates and data
/// mean here what they mean to the reference engine: a repeated key keeps its last value (System.Text.Json's JsonObject
/// throws), numbers beyond double range are ±Infinity (written as null), lone UTF-16 surrogates are kept and written
/// escaped (System.Text.Json refuses to read them and writes U+FFFD).
/// </summary>
public static class JsonText
{
    /// <summary>Deeper nesting is refused with a message rather than exhausting the stack; no card comes near it.</summary>
    public const int MaxDepth = 256;

    /// <summary>Parses JSON text; a leading byte-order mark is ignored.</summary>
    /// <exception cref="JsonTextException">The text is not JSON.</exception>
    public static JsonNode? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text, text.StartsWith('\uFEFF') ? 1 : 0);
        reader.SkipWhitespace();
        var value = reader.ReadValue(0);
        reader.SkipWhitespace();
        if (!reader.AtEnd)
        {
            throw reader.Error("unexpected text after the JSON value");
        }

        return value;
    }

    /// <summary>Writes <paramref name="node"/> like <c>JSON.stringify(node, null, indented ? 2 : 0)</c>.</summary>
    public static string Write(JsonNode? node, bool indented = false)
    {
        var text = new StringBuilder();
        WriteValue(text, node, indented, 0);
        return text.ToString();
    }

    private static void WriteValue(StringBuilder text, JsonNode? node, bool indented, int depth)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                WriteContainer(text, '{', '}', obj, indented, depth, (t, pair) =>
                {
                    WriteString(t, pair.Key);
                    t.Append(indented ? ": " : ":");
                    WriteValue(t, pair.Value, indented, depth + 1);
                });
                break;
            case JsonArray arr:
                WriteContainer(text, '[', ']', arr, indented, depth, (t, item) => WriteValue(t, item, indented, depth + 1));
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(text, value.GetValue<string>());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && !double.IsFinite(number):
                text.Append("null");
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }

    private static void WriteContainer<T>(StringBuilder text, char open, char close, IEnumerable<T> items, bool indented, int depth, Action<StringBuilder, T> write)
    {
        text.Append(open);
        var any = false;
        foreach (var item in items)
        {
            text.Append(any ? "," : "");
            if (indented)
            {
                text.Append('\n').Append(' ', (depth + 1) * 2);
            }

            write(text, item);
            any = true;
        }

        if (any && indented)
        {
            text.Append('\n').Append(' ', depth * 2);
        }

        text.Append(close);
    }

    // JSON.stringify's QuoteJSONString (ES2019 well-formed stringify): short escapes, \u00XX for other controls, lone surrogates as \uXXXX.
    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20 || (char.IsHighSurrogate(c) && (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))) || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]))))
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private sealed class Reader(string text, int start)
    {
        private int _position = start;

        public bool AtEnd => _position >= text.Length;

        // JSON.parse's whitespace: exactly space, tab, line feed and carriage return.
        public void SkipWhitespace()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\n' or '\r')
            {
                _position++;
            }
        }

        public JsonNode? ReadValue(int depth)
        {
            if (AtEnd)
            {
                throw Error("the JSON ends where a value was expected");
            }

            switch (text[_position])
            {
                case '{':
                    return ReadObject(depth + 1);
                case '[':
                    return ReadArray(depth + 1);
                case '"':
                    return JsonValue.Create(ReadString());
                case 't':
                    Expect("true");
                    return JsonValue.Create(true);
                case 'f':
                    Expect("false");
                    return JsonValue.Create(false);
                case 'n':
                    Expect("null");
                    return null;
                case '-' or (>= '0' and <= '9'):
                    return ReadNumber();
                default:
                    throw Error($"unexpected character '{Printable(text[_position])}' where a value was expected");
            }
        }

        public JsonTextException Error(string problem)
        {
            var line = 1;
            var lineStart = 0;
            for (var i = 0; i < Math.Min(_position, text.Length); i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return new JsonTextException(problem, line, _position - lineStart + 1);
        }

        private JsonObject ReadObject(int depth)
        {
            CheckDepth(depth);
            _position++;
            var obj = new JsonObject();
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                return obj;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("expected a property name in double quotes");
                }

                var key = ReadString();
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Error($"expected ':' after the property name \"{key}\"");
                }

                _position++;
                SkipWhitespace();
                var value = ReadValue(depth);

                // JSON.parse: a repeated key keeps its first position and its last value.
                obj[key] = value;
                SkipWhitespace();
                switch (Peek())
                {
                    case ',':
                        _position++;
                        continue;
                    case '}':
                        _position++;
                        return obj;
                    default:
                        throw Error("expected ',' or '}' in an object");
                }
            }
        }

        private JsonArray ReadArray(int depth)
        {
            CheckDepth(depth);
            _position++;
            var arr = new JsonArray();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _position++;
                return arr;
            }

            while (true)
            {
                SkipWhitespace();
                arr.Add(ReadValue(depth));
                SkipWhitespace();
                switch (Peek())
                {
                    case ',':
                        _position++;
                        continue;
                    case ']':
                        _position++;
                        return arr;
                    default:
                        throw Error("expected ',' or ']' in an array");
                }
            }
        }

        private string ReadString()
        {
            _position++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("a string is not closed");
                }

                var c = text[_position];
                if (c == '"')
                {
                    _position++;
                    return value.ToString();
                }

                if (c < 0x20)
                {
                    throw Error($"a string holds the control character {Printable(c)}; write it escaped");
                }

                if (c != '\\')
                {
                    value.Append(c);
                    _position++;
                    continue;
                }

                _position++;
                var escape = AtEnd ? '\0' : text[_position];
                _position++;
                switch (escape)
                {
                    case '"': value.Append('"'); break;
                    case '\\': value.Append('\\'); break;
                    case '/': value.Append('/'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > text.Length || !int.TryParse(text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            _position -= 2;
                            throw Error("\\u must be followed by four hex digits");
                        }

                        // Lone surrogates are kept, as JavaScript strings keep them.
                        value.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        _position -= 2;
                        throw Error("unknown escape in a string");
                }
            }
        }

        private JsonNode ReadNumber()
        {
            var begin = _position;
            if (Peek() == '-')
            {
                _position++;
            }

            if (Peek() == '0')
            {
                _position++;
            }
            else if (Peek() is >= '1' and <= '9')
            {
                SkipDigits();
            }
            else
            {
                throw Error("a number needs digits after '-'");
            }

            if (Peek() == '.')
            {
                _position++;
                if (Peek() is not (>= '0' and <= '9'))
                {
                    throw Error("a number needs digits after '.'");
                }

                SkipDigits();
            }

            if (Peek() is 'e' or 'E')
            {
                _position++;
                if (Peek() is '+' or '-')
                {
                    _position++;
                }

                if (Peek() is not (>= '0' and <= '9'))
                {
                    throw Error("a number needs digits in its exponent");
                }

                SkipDigits();
            }

            // The literal is kept as written; it reads as the nearest double, ±Infinity beyond the range, as in JavaScript.
            return JsonNode.Parse(text.AsSpan(begin, _position - begin).ToString())!;
        }

        private void SkipDigits()
        {
            while (Peek() is >= '0' and <= '9')
            {
                _position++;
            }
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(text, _position, word, 0, word.Length) != 0)
            {
                throw Error($"unexpected word where a value was expected (did you mean {word}?)");
            }

            _position += word.Length;
        }

        private void CheckDepth(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error($"objects and arrays are nested deeper than {MaxDepth} levels");
            }
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private static string Printable(char c) => c < 0x20 || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : c.ToString();
    }
}
