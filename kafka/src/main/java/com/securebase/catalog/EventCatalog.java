package com.securebase.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event catalog ({@code kafka/catalog.yaml} and {@code kafka/schemas/}) loaded from the
 * classpath: which topic carries an event type, and whether an event's data matches its schema.
 * Immutable and thread-safe; load it once ({@link #load()} caches).
 */
public final class EventCatalog {
  private static final com.networknt.schema.format.EmailFormat EMAIL =
      new com.networknt.schema.format.EmailFormat();

  /**
   * Whether a string passes the catalog's {@code email} format (a real domain and TLD), so an API
   * refuses at its edge an address that no event could carry.
   */
  public static boolean isEmail(String value) {
    return value != null && EMAIL.matches(null, value);
  }

  /** Where the build puts the catalog on the classpath. */
  public static final String RESOURCE_ROOT = "securebase/catalog/";

  private static final Pattern TYPE_NAME =
      Pattern.compile("^securebase\\.[a-z]+\\.[a-z][a-z_]*\\.[a-z][a-z_]*$");
  private static final ObjectMapper JSON = new ObjectMapper();
  // 2020-12 treats "format" as an annotation by default; ids and times must really be checked.
  private static final SchemaValidatorsConfig STRICT =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
  private static volatile EventCatalog shared;

  private final int version;
  private final Map<String, TopicDefinition> topics;
  private final Map<String, EventTypeDefinition> types;
  private final Map<String, JsonSchema> schemas;

  private EventCatalog(
      int version,
      Map<String, TopicDefinition> topics,
      Map<String, EventTypeDefinition> types,
      Map<String, JsonSchema> schemas) {
    this.version = version;
    this.topics = topics;
    this.types = types;
    this.schemas = schemas;
  }

  /** The catalog shipped in this build, parsed and checked once per class loader. */
  public static EventCatalog load() {
    EventCatalog catalog = shared;
    if (catalog == null) {
      synchronized (EventCatalog.class) {
        if (shared == null) {
          shared = parse(EventCatalog.class.getClassLoader());
        }
        catalog = shared;
      }
    }
    return catalog;
  }

  static EventCatalog parse(ClassLoader loader) {
    JsonNode root = readYaml(loader, RESOURCE_ROOT + "catalog.yaml");
    JsonNode defaults = root.path("defaults");
    JsonSchemaFactory schemaFactory =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    Map<String, TopicDefinition> topics = new LinkedHashMap<>();
    Map<String, EventTypeDefinition> types = new LinkedHashMap<>();
    Map<String, JsonSchema> schemas = new LinkedHashMap<>();
    for (JsonNode t : root.path("topics")) {
      String topic = required(t, "name");
      List<EventTypeDefinition> events = new ArrayList<>();
      for (JsonNode e : t.path("events")) {
        String type = required(e, "type");
        if (!TYPE_NAME.matcher(type).matches()) {
          throw new IllegalStateException(
              "Event type '" + type + "' is not named securebase.<service>.<entity>.<verb>");
        }
        String schemaPath = required(e, "schema");
        EventTypeDefinition def =
            new EventTypeDefinition(type, topic, schemaPath, e.path("description").asText(""));
        if (types.putIfAbsent(type, def) != null) {
          throw new IllegalStateException("Event type '" + type + "' is listed twice");
        }
        schemas.computeIfAbsent(
            schemaPath,
            p -> schemaFactory.getSchema(readJson(loader, RESOURCE_ROOT + "schemas/" + p), STRICT));
        events.add(def);
      }
      TopicDefinition def =
          new TopicDefinition(
              topic,
              required(t, "owner"),
              t.path("description").asText(""),
              t.path("partitions").asInt(defaults.path("partitions").asInt(6)),
              (short)
                  t.path("replicationFactor").asInt(defaults.path("replicationFactor").asInt(3)),
              t.path("retentionMs").asLong(defaults.path("retentionMs").asLong(604_800_000L)),
              t.path("cleanupPolicy").asText(defaults.path("cleanupPolicy").asText("delete")),
              events);
      if (topics.putIfAbsent(topic, def) != null) {
        throw new IllegalStateException("Topic '" + topic + "' is listed twice");
      }
    }
    return new EventCatalog(
        root.path("version").asInt(1), Map.copyOf(topics), Map.copyOf(types), Map.copyOf(schemas));
  }

  public int version() {
    return version;
  }

  public Collection<TopicDefinition> topics() {
    return topics.values();
  }

  public Collection<EventTypeDefinition> eventTypes() {
    return types.values();
  }

  public Optional<EventTypeDefinition> find(String type) {
    return Optional.ofNullable(types.get(type));
  }

  /** The definition of a listed type; an unlisted one is a programming error. */
  public EventTypeDefinition type(String type) {
    return find(type).orElseThrow(() -> new UnknownEventTypeException(type));
  }

  public Optional<TopicDefinition> topic(String name) {
    return Optional.ofNullable(topics.get(name));
  }

  /** The schema violations of {@code data} for {@code type}; empty when it is valid. */
  public List<String> violations(String type, JsonNode data) {
    Set<ValidationMessage> messages = schemas.get(type(type).schema()).validate(data);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** Throws {@link InvalidEventDataException} unless {@code data} matches the type's schema. */
  public void validate(String type, JsonNode data) {
    List<String> violations = violations(type, data);
    if (!violations.isEmpty()) {
      throw new InvalidEventDataException(type, violations);
    }
  }

  /**
   * A valid example of the type's data ({@code kafka/examples/<type>.json}), for docs and tests.
   */
  public JsonNode example(String type) {
    type(type);
    return readJson(
        EventCatalog.class.getClassLoader(), RESOURCE_ROOT + "examples/" + type + ".json");
  }

  private static String required(JsonNode node, String field) {
    String value = node.path(field).asText(null);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Catalog entry " + node + " lacks '" + field + "'");
    }
    return value;
  }

  private static JsonNode readYaml(ClassLoader loader, String resource) {
    return read(loader, resource, new ObjectMapper(new YAMLFactory()));
  }

  private static JsonNode readJson(ClassLoader loader, String resource) {
    return read(loader, resource, JSON);
  }

  private static JsonNode read(ClassLoader loader, String resource, ObjectMapper mapper) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing catalog resource " + resource);
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read catalog resource " + resource, e);
    }
  }
}
