using System.Globalization;
using System.Text;

namespace ReleaseTeamsApp.CardTemplating.Expressions;

/// <summary>Thrown when an expression does not parse; the template engine then keeps the text as written.</summary>
internal sealed class ExpressionSyntaxException(string message) : Exception(message);

/// <summary>Recursive-descent parser for the Adaptive Expressions grammar (ExpressionAntlrParser.g4).</summary>
internal sealed class ExpressionParser
{
    private enum Kind
    {
        End,
        Number,
        String,
        Identifier,
        Interpolation,
        Symbol,
    }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private int _pos;

    private ExpressionParser(string text)
    {
        _text = text;
        Tokenize();
    }

    public static Expr Parse(string expression)
    {
        var parser = new ExpressionParser(expression);
        var result = parser.ParseTernary();
        if (parser.Current.Kind != Kind.End)
        {
            throw new ExpressionSyntaxException($"Unexpected '{parser.Current.Text}' at {parser.Current.Position} in {expression}");
        }

        return result;
    }

    /// <summary>
    /// Splits string-interpolation text into AEL concat children (a leading empty constant, then text, escapes and expressions).
    /// Returns null when the text holds a backtick, which would end the reference engine's interpolation early.
    /// </summary>
    public static List<Expr>? ParseInterpolation(string text)
    {
        var children = new List<Expr> { new ConstantExpr(string.Empty) };
        var pos = 0;
        return ScanInterpolation(text, ref pos, children, stopAtBacktick: false) ? children : null;
    }

    private static bool ScanInterpolation(string text, ref int pos, List<Expr> children, bool stopAtBacktick)
    {
        var buffer = new StringBuilder();
        void Flush()
        {
            if (buffer.Length > 0)
            {
                children.Add(new ConstantExpr(buffer.ToString()));
                buffer.Clear();
            }
        }

        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '`')
            {
                if (stopAtBacktick)
                {
                    Flush();
                    pos++;
                    return true;
                }

                return false;
            }

            if (c == '\\' && pos + 1 < text.Length && (text[pos + 1] == '`' || text[pos + 1] == '$'))
            {
                Flush();
                children.Add(new ConstantExpr(text[pos + 1].ToString()));
                pos += 2;
                continue;
            }

            if (c == '$' && pos + 1 < text.Length && text[pos + 1] == '{' && TryScanTemplate(text, pos, out var end))
            {
                Flush();
                children.Add(Parse(TrimTemplate(text[pos..end])));
                pos = end;
                continue;
            }

            buffer.Append(c);
            pos++;
        }

        Flush();
        return !stopAtBacktick;
    }

    // TEMPLATE : '$' '{' (STRING | OBJECT_DEFINITION | ~[\r\n{}'"`])+ '}'
    private static bool TryScanTemplate(string text, int start, out int end)
    {
        var i = start + 2;
        var consumed = 0;
        end = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '}')
            {
                if (consumed == 0)
                {
                    return false;
                }

                end = i + 1;
                return true;
            }

            if (c is '\'' or '"')
            {
                if (!TrySkipString(text, ref i))
                {
                    return false;
                }
            }
            else if (c == '{')
            {
                if (!TrySkipObject(text, ref i))
                {
                    return false;
                }
            }
            else if (c is '\r' or '\n' or '`')
            {
                return false;
            }
            else
            {
                i++;
            }

            consumed++;
        }

        return false;
    }

    private static bool TrySkipString(string text, ref int i)
    {
        var quote = text[i];
        var j = i + 1;
        while (j < text.Length)
        {
            if (text[j] == '\\' && j + 1 < text.Length && (text[j + 1] == quote || text[j + 1] == '\\'))
            {
                j += 2;
                continue;
            }

            if (text[j] == quote)
            {
                i = j + 1;
                return true;
            }

            j++;
        }

        return false;
    }

    private static bool TrySkipObject(string text, ref int i)
    {
        var depth = 0;
        var j = i;
        while (j < text.Length)
        {
            var c = text[j];
            if (c is '\'' or '"')
            {
                if (!TrySkipString(text, ref j))
                {
                    return false;
                }

                continue;
            }

            if (c is '\r' or '\n' or '`')
            {
                return false;
            }

            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth--;
                if (depth == 0)
                {
                    i = j + 1;
                    return true;
                }
            }

            j++;
        }

        return false;
    }

    private static string TrimTemplate(string template)
    {
        var result = template.Trim();
        if (result.StartsWith('$'))
        {
            result = result[1..];
        }

        result = result.Trim();
        if (result.StartsWith('{') && result.EndsWith('}'))
        {
            result = result[1..^1];
        }

        return result.Trim();
    }

    private Token Current => _tokens[_pos];

    private static readonly string[] Symbols =
        ["&&", "||", "==", "!=", "<>", "<=", ">=", "=>", "??", "+", "-", "!", "^", "*", "/", "%", "&", "<", ">", "(", ")", ".", "[", "]", "{", "}", ",", ":", "?"];

    private void Tokenize()
    {
        var i = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c is ' ' or '\t' or '\ufeff' or '\u00a0' or '\r' or '\n')
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c))
            {
                while (i < _text.Length && char.IsAsciiDigit(_text[i]))
                {
                    i++;
                }

                if (i + 1 < _text.Length && _text[i] == '.' && char.IsAsciiDigit(_text[i + 1]))
                {
                    i++;
                    while (i < _text.Length && char.IsAsciiDigit(_text[i]))
                    {
                        i++;
                    }
                }

                _tokens.Add(new Token(Kind.Number, _text[start..i], start));
                continue;
            }

            if (c is '\'' or '"')
            {
                if (!TrySkipString(_text, ref i))
                {
                    throw new ExpressionSyntaxException($"Unterminated string at {start}");
                }

                _tokens.Add(new Token(Kind.String, _text[start..i], start));
                continue;
            }

            if (c == '`')
            {
                var children = new List<Expr> { new ConstantExpr(string.Empty) };
                i++;
                var inner = _text;
                if (!ScanInterpolation(inner, ref i, children, stopAtBacktick: true))
                {
                    throw new ExpressionSyntaxException($"Unterminated string interpolation at {start}");
                }

                _tokens.Add(new Token(Kind.Interpolation, _text[start..i], start));
                _interpolations[_tokens.Count - 1] = children;
                continue;
            }

            if (IsIdentifierStart(c, i))
            {
                i += c == '@' && i + 1 < _text.Length && _text[i + 1] == '@' ? 2 : 1;
                while (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] == '_'))
                {
                    i++;
                }

                _tokens.Add(new Token(Kind.Identifier, _text[start..i], start));
                continue;
            }

            var symbol = Array.Find(Symbols, s => string.CompareOrdinal(_text, i, s, 0, s.Length) == 0)
                ?? throw new ExpressionSyntaxException($"Unexpected character '{c}' at {i}");
            _tokens.Add(new Token(Kind.Symbol, symbol, i));
            i += symbol.Length;
        }

        _tokens.Add(new Token(Kind.End, string.Empty, _text.Length));
    }

    private readonly Dictionary<int, List<Expr>> _interpolations = [];

    private bool IsIdentifierStart(char c, int i)
    {
        if (char.IsAsciiLetter(c) || c is '_' or '#' or '@' or '$')
        {
            return true;
        }

        // '%' starts an identifier only when the lexer's longest match makes it one (e.g. "%3").
        return c == '%' && i + 1 < _text.Length && (char.IsAsciiLetterOrDigit(_text[i + 1]) || _text[i + 1] == '_');
    }

    private bool IsSymbol(string symbol) => Current.Kind == Kind.Symbol && Current.Text == symbol;

    private void Expect(string symbol)
    {
        if (!IsSymbol(symbol))
        {
            throw new ExpressionSyntaxException($"Expected '{symbol}' at {Current.Position} in {_text}");
        }

        _pos++;
    }

    private Expr ParseTernary()
    {
        var condition = ParseBinary(0);
        if (!IsSymbol("?"))
        {
            return condition;
        }

        _pos++;
        var whenTrue = ParseTernary();
        Expect(":");
        var whenFalse = ParseTernary();
        return Make("if", condition, whenTrue, whenFalse);
    }

    // Lowest to highest, as ordered in ExpressionAntlrParser.g4 (comparison binds looser than equality there).
    private static readonly string[][] Levels =
    [
        ["??"],
        ["||"],
        ["&&"],
        ["<", "<=", ">", ">="],
        ["&"],
        ["==", "!=", "<>"],
        ["+", "-"],
        ["*", "/", "%"],
    ];

    private Expr ParseBinary(int level)
    {
        if (level == Levels.Length)
        {
            return ParsePower();
        }

        var left = ParseBinary(level + 1);
        while (Current.Kind == Kind.Symbol && Array.IndexOf(Levels[level], Current.Text) >= 0)
        {
            var op = Current.Text;
            _pos++;
            var right = ParseBinary(level + 1);
            left = Make(op, left, right);
        }

        return left;
    }

    private Expr ParsePower()
    {
        var left = ParseUnary();
        if (IsSymbol("^"))
        {
            _pos++;
            return Make("^", left, ParsePower());
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (IsSymbol("!"))
        {
            _pos++;
            return Make("!", ParseUnary());
        }

        if (IsSymbol("-") || IsSymbol("+"))
        {
            var op = Current.Text;
            _pos++;
            return Make(op, new ConstantExpr(0d), ParseUnary());
        }

        return ParsePostfix(ParsePrimary());
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        _pos++;
        switch (token.Kind)
        {
            case Kind.Number:
                return new ConstantExpr(double.Parse(token.Text, CultureInfo.InvariantCulture));
            case Kind.String:
                return new ConstantExpr(Unquote(token.Text));
            case Kind.Interpolation:
                return Make("concat", [.. _interpolations[_pos - 1]]);
            case Kind.Identifier:
                return token.Text switch
                {
                    "true" => new ConstantExpr(true),
                    "false" => new ConstantExpr(false),
                    "null" => new ConstantExpr(JsNull.Value),
                    "undefined" => new ConstantExpr(null),
                    _ => new PathExpr(token.Text, null, null),
                };
            case Kind.Symbol when token.Text == "(":
                var inner = ParseTernary();
                Expect(")");
                return inner;
            case Kind.Symbol when token.Text == "[":
                return Make("createArray", [.. ParseArgs("]")]);
            case Kind.Symbol when token.Text == "{":
                return ParseObject();
            default:
                throw new ExpressionSyntaxException($"Unexpected '{token.Text}' at {token.Position} in {_text}");
        }
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            if (IsSymbol("."))
            {
                _pos++;
                if (Current.Kind != Kind.Identifier)
                {
                    throw new ExpressionSyntaxException($"Expected a member name at {Current.Position} in {_text}");
                }

                expr = new PathExpr(Current.Text, expr, null);
                _pos++;
            }
            else if (IsSymbol("["))
            {
                _pos++;
                var index = ParseTernary();
                Expect("]");
                expr = new PathExpr(null, expr, index);
            }
            else if (IsSymbol("("))
            {
                _pos++;
                var name = FunctionName(expr) ?? throw new ExpressionSyntaxException($"{expr} is not a function name in {_text}");
                expr = Make(name, [.. ParseArgs(")")]);
            }
            else
            {
                return expr;
            }
        }
    }

    private static string? FunctionName(Expr expr) => expr switch
    {
        PathExpr { Name: not null, Instance: null } p => p.Name,
        PathExpr { Name: not null } p when FunctionName(p.Instance!) is { } prefix => prefix + "." + p.Name,
        _ => null,
    };

    private List<Expr> ParseArgs(string close)
    {
        var args = new List<Expr>();
        if (IsSymbol(close))
        {
            _pos++;
            return args;
        }

        while (true)
        {
            if (Current.Kind == Kind.Identifier && _tokens[_pos + 1] is { Kind: Kind.Symbol, Text: "=>" })
            {
                args.Add(new PathExpr(Current.Text, null, null));
                _pos += 2;
            }

            args.Add(ParseTernary());
            if (IsSymbol(","))
            {
                _pos++;
                continue;
            }

            Expect(close);
            return args;
        }
    }

    private ObjectExpr ParseObject()
    {
        var properties = new List<(string, Expr)>();
        if (IsSymbol("}"))
        {
            _pos++;
            return new ObjectExpr(properties);
        }

        while (true)
        {
            var key = Current.Kind switch
            {
                Kind.Identifier => Current.Text,
                Kind.String => Current.Text[1..^1],
                _ => throw new ExpressionSyntaxException($"Expected a property name at {Current.Position} in {_text}"),
            };
            _pos++;
            Expect(":");
            properties.Add((key, ParseTernary()));
            if (IsSymbol(","))
            {
                _pos++;
                continue;
            }

            Expect("}");
            return new ObjectExpr(properties);
        }
    }

    private static string Unquote(string text)
    {
        var quote = text[0];
        var inner = text[1..^1].Replace("\\" + quote, quote.ToString(), StringComparison.Ordinal);
        var sb = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is 'r' or 'n' or 't' or '\\')
            {
                sb.Append(inner[i + 1] switch { 'r' => '\r', 'n' => '\n', 't' => '\t', _ => '\\' });
                i++;
            }
            else
            {
                sb.Append(inner[i]);
            }
        }

        return sb.ToString();
    }

    private static CallExpr Make(string name, params Expr[] args)
    {
        var function = Functions.Lookup(name);
        if (function is not null && (args.Length < function.MinArity || args.Length > function.MaxArity))
        {
            throw new ExpressionSyntaxException($"{name} expects {function.MinArity}..{function.MaxArity} arguments, got {args.Length}");
        }

        return new CallExpr(function?.Type ?? name, args, function);
    }
}

/// <summary>A JSON object literal such as <c>{a: 1}</c>.</summary>
internal sealed class ObjectExpr(List<(string Key, Expr Value)> properties) : Expr
{
    public override EvalResult Evaluate(Scope scope, bool substitute)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in properties)
        {
            var r = value.Evaluate(scope, substitute);
            if (r.Error is not null)
            {
                return r;
            }

            result[key] = r.Value;
        }

        return EvalResult.Ok(result);
    }

    public override string ToString() => "json('{}')";
}
