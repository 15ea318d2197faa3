package com.customerprofiles.sdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the SDK writes (events) and reads (the console's answers): objects as {@link Map},
 * arrays as {@link List}, strings, numbers ({@link Long} when whole, else {@link Double}),
 * booleans and {@code null}. Small on purpose: the SDK depends on nothing but the JDK.
 */
public final class Json {
    private Json() {
    }

    /** {@code value} as JSON text; throws {@link IllegalArgumentException} on what JSON cannot hold. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            string((String) value, out);
        } else if (value instanceof Boolean) {
            out.append(value.toString());
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new IllegalArgumentException("JSON has no " + number);
            }
            out.append(number == Math.rint(number) && Math.abs(number) < 1e15
                    ? Long.toString((long) number) : Double.toString(number));
        } else if (value instanceof Number) {
            out.append(value.toString());
        } else if (value instanceof Map) {
            object((Map<?, ?>) value, out);
        } else if (value instanceof Collection) {
            array((Collection<?>) value, out);
        } else {
            throw new IllegalArgumentException("JSON cannot hold a " + value.getClass().getName());
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String)) {
                throw new IllegalArgumentException("JSON object keys are strings");
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string((String) entry.getKey(), out);
            out.append(':');
            write(entry.getValue(), out);
        }
        out.append('}');
    }

    private static void array(Collection<?> items, StringBuilder out) {
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(item, out);
        }
        out.append(']');
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    // Control characters, and the two line separators JavaScript once refused.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /** The value {@code text} holds; throws {@link IllegalArgumentException} saying where it is not JSON. */
    public static Object parse(String text) {
        Reader reader = new Reader(text);
        reader.space();
        Object value = reader.value(0);
        reader.space();
        if (reader.at < text.length()) {
            throw reader.error("text after the JSON value");
        }
        return value;
    }

    /** A recursive-descent reader over one text. */
    private static final class Reader {
        private static final int MAX_DEPTH = 64;
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("Not JSON at character " + at + ": " + what);
        }

        void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        char next() {
            if (at >= text.length()) {
                throw error("the text ends too early");
            }
            return text.charAt(at++);
        }

        void expect(String word) {
            if (!text.startsWith(word, at)) {
                throw error("expected " + word);
            }
            at += word.length();
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            if (at >= text.length()) {
                throw error("the text ends too early");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': at++; return string();
                case 't': expect("true"); return Boolean.TRUE;
                case 'f': expect("false"); return Boolean.FALSE;
                case 'n': expect("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected '" + c + "'");
            }
        }

        Map<String, Object> object(int depth) {
            Map<String, Object> map = new LinkedHashMap<String, Object>();
            at++;
            space();
            if (at < text.length() && text.charAt(at) == '}') {
                at++;
                return map;
            }
            while (true) {
                space();
                if (next() != '"') {
                    throw error("expected a key in quotes");
                }
                String key = string();
                space();
                if (next() != ':') {
                    throw error("expected ':'");
                }
                space();
                map.put(key, value(depth + 1));
                space();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        List<Object> array(int depth) {
            List<Object> list = new ArrayList<Object>();
            at++;
            space();
            if (at < text.length() && text.charAt(at) == ']') {
                at++;
                return list;
            }
            while (true) {
                space();
                list.add(value(depth + 1));
                space();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        String string() {
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("a control character inside a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"': out.append('"'); break;
                    case '\\': out.append('\\'); break;
                    case '/': out.append('/'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'u': out.append(hex()); break;
                    default: throw error("unknown escape \\" + escaped);
                }
            }
        }

        char hex() {
            if (at + 4 > text.length()) {
                throw error("a \\u escape needs four hex digits");
            }
            try {
                char c = (char) Integer.parseInt(text.substring(at, at + 4), 16);
                at += 4;
                return c;
            } catch (NumberFormatException e) {
                throw error("a \\u escape needs four hex digits");
            }
        }

        Number number() {
            int start = at;
            if (text.charAt(at) == '-') {
                at++;
            }
            boolean whole = true;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c >= '0' && c <= '9') {
                    at++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    whole = false;
                    at++;
                } else {
                    break;
                }
            }
            String digits = text.substring(start, at);
            if (whole) {
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException tooLong) {
                    // Beyond a long: read as a double below.
                }
            }
            try {
                return Double.parseDouble(digits);
            } catch (NumberFormatException e) {
                throw error("a malformed number " + digits);
            }
        }
    }
}
