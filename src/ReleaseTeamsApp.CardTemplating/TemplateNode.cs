using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.CardTemplating.Expressions;

namespace ReleaseTeamsApp.CardTemplating;

/// <summary>A prepared template node; expansion mirrors Template.internalExpand of the reference engine.</summary>
internal abstract class TemplateNode
{
    private static readonly HashSet<string> ReservedKeys = ["$data", "$when", "$root", "$index", "$host", "$_acTemplateVersion"];

    /// <summary>Returns the expanded value (C# null = undefined, a List when an object repeats).</summary>
    public abstract object? Expand(Scope scope);

    public static TemplateNode Prepare(JsonNode? node) => node switch
    {
        JsonObject obj => new ObjectNode(obj),
        JsonArray arr => new ArrayNode(arr.Select(Prepare).ToArray()),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => StringNode.Create(value.GetValue<string>()),
        _ => new LiteralNode(JsValue.FromNode(node)),
    };

    private sealed class LiteralNode(object? value) : TemplateNode
    {
        public object? Value { get; } = value;

        // Values are copied so one expansion's output never aliases another's.
        public override object? Expand(Scope scope) => Value is List<object?> or Dictionary<string, object?> ? JsValue.FromNode(JsValue.ToNode(Value)) : Value;
    }

    private sealed class ArrayNode(TemplateNode[] items) : TemplateNode
    {
        public override object? Expand(Scope scope)
        {
            var result = new List<object?>(items.Length);
            foreach (var item in items)
            {
                var expanded = item.Expand(scope);
                if (expanded is JsNull)
                {
                    continue;
                }

                if (expanded is List<object?> list)
                {
                    result.AddRange(list);
                }
                else
                {
                    result.Add(expanded);
                }
            }

            return result;
        }
    }

    /// <summary>A string holding <c>${...}</c>: either one typed expression or an interpolation.</summary>
    internal sealed class StringNode : TemplateNode
    {
        private readonly Expr _expression;

        private StringNode(Expr expression, string text)
        {
            _expression = expression;
            Text = text;
        }

        public string Text { get; }

        public static TemplateNode Create(string text)
        {
            if (!text.Contains("${", StringComparison.Ordinal))
            {
                return new LiteralNode(text);
            }

            try
            {
                var children = ExpressionParser.ParseInterpolation(text);
                if (children is null)
                {
                    return new LiteralNode(text);
                }

                // A lone non-constant expression keeps its type; anything else is string concatenation.
                var expression = children.Count == 2 && children[1] is not ConstantExpr
                    ? children[1]
                    : new CallExpr("concat", [.. children], Functions.Lookup("concat"));
                return new StringNode(expression, text);
            }
            catch (ExpressionSyntaxException)
            {
                return new LiteralNode(text);
            }
        }

        public override object? Expand(Scope scope) => EvaluateTopLevel(_expression, scope, substitute: true, Text);

        /// <summary>Evaluates as Template.internalTryEvaluateExpression does, concatenating concat children itself.</summary>
        public static object? EvaluateTopLevel(Expr expression, Scope scope, bool substitute, string text)
        {
            if (substitute && expression is CallExpr { Type: "concat" } concat)
            {
                var sb = new System.Text.StringBuilder();
                foreach (var child in concat.Args)
                {
                    var r = child.Evaluate(scope, true);
                    sb.Append(r.Error is not null || JsValue.IsNullish(r.Value) ? "${" + child + "}" : JsValue.ToJsString(r.Value));
                }

                return sb.ToString();
            }

            var result = expression.Evaluate(scope, substitute);
            return result.Error is null ? result.Value : text;
        }

        public Expr Expression => _expression;
    }

    private sealed class ObjectNode : TemplateNode
    {
        private readonly (string Key, TemplateNode Value)[] _properties;
        private readonly TemplateNode? _data;
        private readonly TemplateNode? _when;

        public ObjectNode(JsonObject obj)
        {
            var properties = new List<(string, TemplateNode)>();
            foreach (var (key, value) in obj)
            {
                if (key == "$data")
                {
                    _data = Prepare(value);
                }
                else if (key == "$when")
                {
                    _when = Prepare(value);
                }
                else if (!ReservedKeys.Contains(key))
                {
                    properties.Add((key, Prepare(value)));
                }
            }

            _properties = [.. properties];
        }

        public override object? Expand(Scope scope)
        {
            var savedData = scope.DataOverride;
            var savedIndex = scope.Index;
            List<object?> contexts;
            var isArray = false;
            if (_data is null)
            {
                contexts = [null];
            }
            else
            {
                var value = _data is LiteralNode literal ? literal.Value : _data.Expand(scope);
                if (value is List<object?> list)
                {
                    contexts = list;
                    isArray = true;
                }
                else
                {
                    contexts = [value];
                }
            }

            var results = new List<object?>();
            for (var i = 0; i < contexts.Count; i++)
            {
                if (isArray)
                {
                    scope.Index = (double)i;
                }

                if (contexts[i] is not null)
                {
                    scope.DataOverride = contexts[i];
                }

                if (!Dropped(scope))
                {
                    results.Add(ExpandProperties(scope));
                }
            }

            scope.DataOverride = savedData;
            scope.Index = savedIndex;
            return results.Count switch
            {
                0 => JsNull.Value,
                1 => results[0],
                _ => results,
            };
        }

        private bool Dropped(Scope scope)
        {
            if (_when is null)
            {
                return false;
            }

            if (_when is StringNode node)
            {
                // $when is evaluated without substitution; only boolean true keeps the element.
                var value = StringNode.EvaluateTopLevel(node.Expression, scope, substitute: false, node.Text);
                return value is not true || ReferenceEquals(value, node.Text);
            }

            return _when is not LiteralNode literal || JsValue.IsTruthy(literal.Value);
        }

        private Dictionary<string, object?> ExpandProperties(Scope scope)
        {
            var result = new Dictionary<string, object?>(_properties.Length);
            foreach (var (key, node) in _properties)
            {
                var value = node.Expand(scope);
                if (value is not null)
                {
                    result[key] = value;
                }
            }

            return result;
        }
    }
}
