package com.customerprofiles.sdk;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The SDK's own JSON: what it writes is what the console reads, and its answers read back. */
public class JsonTest {
    @Test
    public void writesEscapesEveryStringSafely() {
        Map<String, Object> payload = new LinkedHashMap<String, Object>();
        payload.put("quote\"", "back\\slash\nline\ttab\u0001\u2028");
        payload.put("emoji", "Zo\u00eb \ud83d\udc4b");
        payload.put("markup", "</script><b>");
        assertEquals("{\"quote\\\"\":\"back\\\\slash\\nline\\ttab\\u0001\\u2028\","
                + "\"emoji\":\"Zo\u00eb \ud83d\udc4b\",\"markup\":\"</script><b>\"}", Json.write(payload));
    }

    @Test
    public void writesNumbersBooleansNullsAndLists() {
        assertEquals("[1,2.5,-3,true,null,[]]",
                Json.write(Arrays.asList(1, 2.5, -3.0, true, null, Arrays.asList())));
        try {
            Json.write(Double.NaN);
            fail("NaN is not JSON");
        } catch (IllegalArgumentException expected) {
            // Refused.
        }
    }

    @Test
    public void readsTheConsolesAnswers() {
        Object answer = Json.parse(" {\"accepted\":0,\"results\":[{\"index\":1,\"status\":\"rejected\","
                + "\"errors\":[{\"field\":\"type\",\"message\":\"Not \\u00e9 \\ud83d\\udc4b \\\"allowed\\\"\"}]}],"
                + "\"ratio\":1.5e2,\"big\":123456789012345678901,\"none\":null} ");
        Map<?, ?> map = (Map<?, ?>) answer;
        assertEquals(0L, map.get("accepted"));
        assertEquals(150.0, map.get("ratio"));
        assertEquals(1.2345678901234568E20, map.get("big"));
        assertNull(map.get("none"));
        Map<?, ?> result = (Map<?, ?>) ((List<?>) map.get("results")).get(0);
        assertEquals(1L, result.get("index"));
        Map<?, ?> error = (Map<?, ?>) ((List<?>) result.get("errors")).get(0);
        assertEquals("Not \u00e9 \ud83d\udc4b \"allowed\"", error.get("message"));
    }

    @Test
    public void refusesWhatIsNotJsonSayingWhere() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "\"open", "nul", "{} x", "\"\\q\"",
                "\"\\u12\"", "-", "1.2.3", "\"tab\tinside\""}) {
            try {
                Json.parse(bad);
                fail("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // Refused.
            }
        }
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            deep.append('[');
        }
        try {
            Json.parse(deep.toString());
            fail("accepted 100 levels");
        } catch (IllegalArgumentException expected) {
            assertEquals(true, expected.getMessage().contains("nested deeper"));
        }
    }
}
