package org.sparsetuning.nn.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the small subset of Python literal syntax that .npy headers use: a dict of string keys whose
 * values are strings, True/False, integers (an old Python 2 {@code L} suffix allowed), and tuples or lists.
 * Anything else is rejected with the position; the header is never evaluated as code.
 */
final class PyLiteral {
    /** Real headers nest two deep (a dict holding a tuple); the bound keeps a hostile header off the call stack's limit. */
    static final int MAX_DEPTH = 16;

    private final String s;
    private int pos;
    private int depth;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** Parses a whole dict literal; trailing whitespace (numpy pads with spaces and a newline) is allowed. */
    static Map<String, Object> parseDict(String text) {
        PyLiteral p = new PyLiteral(text);
        p.skipSpace();
        Object v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the dict");
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a dict literal, found " + text.strip());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    private Object value() {
        if (pos >= s.length()) {
            throw error("unexpected end of header");
        }
        char c = s.charAt(pos);
        if (c == '{') {
            return dict();
        }
        if (c == '(' || c == '[') {
            return sequence(c == '(' ? ')' : ']');
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (c == '-' || isDigit(c)) {
            return integer();
        }
        if (s.startsWith("True", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("False", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        throw error("unexpected character '" + c + "'");
    }

    private Map<String, Object> dict() {
        Map<String, Object> m = new LinkedHashMap<>();
        enter();
        pos++;
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                depth--;
                return m;
            }
            Object key = value();
            if (!(key instanceof String k)) {
                throw error("dict keys must be strings");
            }
            skipSpace();
            expect(':');
            skipSpace();
            if (m.put(k, value()) != null) {
                throw error("duplicate key '" + k + "'");
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != '}') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> sequence(char close) {
        List<Object> items = new ArrayList<>();
        enter();
        pos++;
        while (true) {
            skipSpace();
            if (peek() == close) {
                pos++;
                depth--;
                return items;
            }
            items.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != close) {
                throw error("expected ',' or '" + close + "'");
            }
        }
    }

    private String string() {
        char quote = s.charAt(pos++);
        StringBuilder b = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != quote) {
            if (s.charAt(pos) == '\\') {
                throw error("escape sequences are not supported in header strings");
            }
            b.append(s.charAt(pos++));
        }
        if (pos >= s.length()) {
            throw error("unterminated string");
        }
        pos++;
        return b.toString();
    }

    private Long integer() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
        String digits = s.substring(start, pos);
        if (pos < s.length() && s.charAt(pos) == 'L') {
            pos++;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("bad or out-of-range integer '" + digits + "'");
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        if (pos >= s.length()) {
            throw error("unexpected end of header");
        }
        return s.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String msg) {
        String text = s.strip();
        // A hostile header can be a megabyte long: quote its start only, so the message stays one readable line.
        String shown = text.length() <= 120 ? text : text.substring(0, 120) + "... (" + text.length() + " characters)";
        return new IllegalArgumentException(msg + " at character " + pos + " of " + shown);
    }
}
