using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CustomerProfiles.Sdk
{
    /// <summary>
    /// The JSON the SDK writes (events) and reads (the console's answers): objects as
    /// <see cref="Dictionary{TKey,TValue}"/>, arrays as <see cref="List{T}"/>, strings, numbers
    /// (<see cref="long"/> when whole, else <see cref="double"/>), booleans and null. Small on
    /// purpose: .NET Standard 2.0 has no JSON of its own and the SDK takes no packages.
    /// </summary>
    public static class Json
    {
        const int MaxDepth = 64;

        /// <summary><paramref name="value"/> as JSON text; throws <see cref="ArgumentException"/> on what JSON cannot hold.</summary>
        public static string Write(object value)
        {
            var output = new StringBuilder();
            Write(value, output);
            return output.ToString();
        }

        static void Write(object value, StringBuilder output)
        {
            if (value == null) output.Append("null");
            else if (value is string) WriteString((string)value, output);
            else if (value is bool) output.Append((bool)value ? "true" : "false");
            else if (value is double || value is float) WriteDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture), output);
            else if (value is decimal) output.Append(((decimal)value).ToString(CultureInfo.InvariantCulture));
            else if (value is IDictionary) WriteObject((IDictionary)value, output);
            else if (value is IEnumerable) WriteArray((IEnumerable)value, output);
            else if (value is IConvertible && IsWhole((IConvertible)value))
                output.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
            else throw new ArgumentException("JSON cannot hold a " + value.GetType().FullName);
        }

        static bool IsWhole(IConvertible value)
        {
            switch (value.GetTypeCode())
            {
                case TypeCode.SByte: case TypeCode.Byte: case TypeCode.Int16: case TypeCode.UInt16:
                case TypeCode.Int32: case TypeCode.UInt32: case TypeCode.Int64: case TypeCode.UInt64:
                    return true;
                default:
                    return false;
            }
        }

        static void WriteDouble(double number, StringBuilder output)
        {
            if (double.IsNaN(number) || double.IsInfinity(number))
            {
                throw new ArgumentException("JSON has no " + number);
            }
            output.Append(number.ToString("R", CultureInfo.InvariantCulture));
        }

        static void WriteObject(IDictionary map, StringBuilder output)
        {
            output.Append('{');
            var first = true;
            foreach (DictionaryEntry entry in map)
            {
                var key = entry.Key as string;
                if (key == null) throw new ArgumentException("JSON object keys are strings");
                if (!first) output.Append(',');
                first = false;
                WriteString(key, output);
                output.Append(':');
                Write(entry.Value, output);
            }
            output.Append('}');
        }

        static void WriteArray(IEnumerable items, StringBuilder output)
        {
            output.Append('[');
            var first = true;
            foreach (var item in items)
            {
                if (!first) output.Append(',');
                first = false;
                Write(item, output);
            }
            output.Append(']');
        }

        static void WriteString(string text, StringBuilder output)
        {
            output.Append('"');
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': output.Append("\\\""); break;
                    case '\\': output.Append("\\\\"); break;
                    case '\n': output.Append("\\n"); break;
                    case '\r': output.Append("\\r"); break;
                    case '\t': output.Append("\\t"); break;
                    default:
                        // Control characters, and the two line separators JavaScript once refused.
                        if (c < 0x20 || c == '\u2028' || c == '\u2029')
                            output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else
                            output.Append(c);
                        break;
                }
            }
            output.Append('"');
        }

        /// <summary>The value <paramref name="text"/> holds; throws <see cref="FormatException"/> saying where it is not JSON.</summary>
        public static object Parse(string text)
        {
            var reader = new Reader(text ?? "");
            reader.Space();
            var value = reader.Value(0);
            reader.Space();
            if (reader.At < text.Length) throw reader.Error("text after the JSON value");
            return value;
        }

        /// <summary>A recursive-descent reader over one text.</summary>
        sealed class Reader
        {
            readonly string text;
            internal int At;

            internal Reader(string text) { this.text = text; }

            internal FormatException Error(string what) =>
                new FormatException("Not JSON at character " + At + ": " + what);

            internal void Space()
            {
                while (At < text.Length && " \t\r\n".IndexOf(text[At]) >= 0) At++;
            }

            char Next()
            {
                if (At >= text.Length) throw Error("the text ends too early");
                return text[At++];
            }

            void Expect(string word)
            {
                if (string.CompareOrdinal(text, At, word, 0, word.Length) != 0) throw Error("expected " + word);
                At += word.Length;
            }

            internal object Value(int depth)
            {
                if (depth > MaxDepth) throw Error("nested deeper than " + MaxDepth);
                if (At >= text.Length) throw Error("the text ends too early");
                var c = text[At];
                switch (c)
                {
                    case '{': return Object(depth);
                    case '[': return Array(depth);
                    case '"': At++; return String();
                    case 't': Expect("true"); return true;
                    case 'f': Expect("false"); return false;
                    case 'n': Expect("null"); return null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return Number();
                        throw Error("unexpected '" + c + "'");
                }
            }

            Dictionary<string, object> Object(int depth)
            {
                var map = new Dictionary<string, object>();
                At++;
                Space();
                if (At < text.Length && text[At] == '}') { At++; return map; }
                while (true)
                {
                    Space();
                    if (Next() != '"') throw Error("expected a key in quotes");
                    var key = String();
                    Space();
                    if (Next() != ':') throw Error("expected ':'");
                    Space();
                    map[key] = Value(depth + 1);
                    Space();
                    var c = Next();
                    if (c == '}') return map;
                    if (c != ',') throw Error("expected ',' or '}'");
                }
            }

            List<object> Array(int depth)
            {
                var list = new List<object>();
                At++;
                Space();
                if (At < text.Length && text[At] == ']') { At++; return list; }
                while (true)
                {
                    Space();
                    list.Add(Value(depth + 1));
                    Space();
                    var c = Next();
                    if (c == ']') return list;
                    if (c != ',') throw Error("expected ',' or ']'");
                }
            }

            string String()
            {
                var output = new StringBuilder();
                while (true)
                {
                    var c = Next();
                    if (c == '"') return output.ToString();
                    if (c < 0x20) throw Error("a control character inside a string");
                    if (c != '\\') { output.Append(c); continue; }
                    var escaped = Next();
                    switch (escaped)
                    {
                        case '"': output.Append('"'); break;
                        case '\\': output.Append('\\'); break;
                        case '/': output.Append('/'); break;
                        case 'b': output.Append('\b'); break;
                        case 'f': output.Append('\f'); break;
                        case 'n': output.Append('\n'); break;
                        case 'r': output.Append('\r'); break;
                        case 't': output.Append('\t'); break;
                        case 'u': output.Append(Hex()); break;
                        default: throw Error("unknown escape \\" + escaped);
                    }
                }
            }

            char Hex()
            {
                if (At + 4 > text.Length
                    || !int.TryParse(text.Substring(At, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    throw Error("a \\u escape needs four hex digits");
                }
                At += 4;
                return (char)code;
            }

            object Number()
            {
                var start = At;
                if (text[At] == '-') At++;
                var whole = true;
                while (At < text.Length)
                {
                    var c = text[At];
                    if (c >= '0' && c <= '9') At++;
                    else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') { whole = false; At++; }
                    else break;
                }
                var digits = text.Substring(start, At - start);
                if (whole && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    return integer;
                if (double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                    return real;
                throw Error("a malformed number " + digits);
            }
        }
    }
}
