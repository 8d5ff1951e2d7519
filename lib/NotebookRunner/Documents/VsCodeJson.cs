using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner.Documents;

/// <summary>
/// JSON text as VS Code's ipynb serializer writes it: <c>JSON.stringify(sortedKeys(nb), undefined, indent) + "\n"</c>.
/// Keys sorted ordinally, <c>": "</c> separators, empty containers as <c>[]</c>/<c>{}</c>, only the escapes JSON.stringify makes.
/// </summary>
public static class VsCodeJson
{
    public static string Serialize(JsonNode node, int indent = 1)
    {
        var sb = new StringBuilder();
        Write(sb, node, 0, indent);
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>The indent the file uses (spaces before the first key), 1 if it cannot tell.</summary>
    public static int DetectIndent(string text)
    {
        var newline = text.IndexOf('\n');
        if (newline < 0 || newline + 1 >= text.Length)
            return 1;
        var count = 0;
        while (newline + 1 + count < text.Length && text[newline + 1 + count] == ' ')
            count++;
        return count > 0 ? count : 1;
    }

    static void Write(StringBuilder sb, JsonNode? node, int depth, int indent)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }
                sb.Append("{\n");
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                        sb.Append(",\n");
                    first = false;
                    sb.Append(' ', (depth + 1) * indent);
                    WriteString(sb, key);
                    sb.Append(": ");
                    Write(sb, value, depth + 1, indent);
                }
                sb.Append('\n').Append(' ', depth * indent).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }
                sb.Append("[\n");
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                        sb.Append(",\n");
                    sb.Append(' ', (depth + 1) * indent);
                    Write(sb, array[i], depth + 1, indent);
                }
                sb.Append('\n').Append(' ', depth * indent).Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    static void WriteValue(StringBuilder sb, JsonValue value)
    {
        if (value.TryGetValue<string>(out var s))
        {
            WriteString(sb, s);
            return;
        }
        if (value.TryGetValue<bool>(out var b))
        {
            sb.Append(b ? "true" : "false");
            return;
        }
        if (value.TryGetValue<JsonElement>(out var element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    WriteString(sb, element.GetString()!);
                    return;
                case JsonValueKind.Number:
                    sb.Append(element.GetRawText());
                    return;
                case JsonValueKind.True:
                    sb.Append("true");
                    return;
                case JsonValueKind.False:
                    sb.Append("false");
                    return;
                case JsonValueKind.Null:
                    sb.Append("null");
                    return;
            }
        }
        if (value.TryGetValue<int>(out var i))
        {
            sb.Append(i.ToString(CultureInfo.InvariantCulture));
            return;
        }
        if (value.TryGetValue<long>(out var l))
        {
            sb.Append(l.ToString(CultureInfo.InvariantCulture));
            return;
        }
        if (value.TryGetValue<double>(out var d))
        {
            sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
            return;
        }
        sb.Append(value.ToJsonString());
    }

    /// <summary>JSON.stringify's string escaping: quote, backslash, the short control escapes, other controls and lone surrogates as \uXXXX.</summary>
    static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                        sb.Append(c).Append(s[++i]);
                    else if (char.IsSurrogate(c))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>VS Code's splitMultilineString: each line keeps its "\n" except the last; a trailing empty line is dropped.</summary>
    public static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        if (text.Length == 0)
            return array;
        var parts = text.Split('\n');
        for (var i = 0; i < parts.Length; i++)
        {
            var line = i < parts.Length - 1 ? parts[i] + "\n" : parts[i];
            if (line.Length > 0)
                array.Add(line);
        }
        return array;
    }
}
