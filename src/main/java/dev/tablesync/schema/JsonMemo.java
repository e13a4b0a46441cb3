package dev.tablesync.schema;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON text of small immutable values kept in the checkpoint (its cursor, its synced schema),
 * remembered both ways: every run reads them from its checkpoint and writes them back, nearly
 * always unchanged, and Jackson in the interpreter (one run a second never gets it compiled) costs
 * a tenth of a millisecond each way. Holds at most {@value #SIZE} values each way.
 */
public final class JsonMemo<T> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 64;

    private final String what;
    private final Function<T, JsonNode> write;
    private final Function<JsonNode, T> read;
    private final Map<String, T> fromJson = new ConcurrentHashMap<>();
    private final Map<T, String> jsonOf = new ConcurrentHashMap<>();

    /**
     * @param what  names the value in the error for unreadable text, e.g. {@code cursor}
     * @param write the value as a JSON tree
     * @param read  the value of a JSON tree; may throw {@link IllegalArgumentException}
     */
    public JsonMemo(String what, Function<T, JsonNode> write, Function<JsonNode, T> read) {
        this.what = what;
        this.write = write;
        this.read = read;
    }

    public String toJson(T value) {
        String known = jsonOf.get(value);
        if (known != null) {
            return known;
        }
        String json = write.apply(value).toString();
        remember(json, value);
        return json;
    }

    /** @throws IllegalArgumentException naming the value and the text when it cannot be read */
    public T fromJson(String json) {
        T known = fromJson.get(json);
        if (known != null) {
            return known;
        }
        try {
            T value = read.apply(JSON.readTree(json));
            remember(json, value);
            return value;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable " + what + " " + json + ": " + e.getMessage(), e);
        }
    }

    private void remember(String json, T value) {
        if (fromJson.size() > SIZE || jsonOf.size() > SIZE) {
            fromJson.clear();
            jsonOf.clear();
        }
        fromJson.put(json, value);
        jsonOf.put(value, json);
    }
}
