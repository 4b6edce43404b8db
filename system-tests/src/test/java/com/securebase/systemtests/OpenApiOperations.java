package com.securebase.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The operations a service's served OpenAPI document declares, as much as the probe needs. */
final class OpenApiOperations {
  private OpenApiOperations() {}

  /** One path parameter and its schema. */
  record Param(String name, JsonNode schema) {
    boolean uuid() {
      return "uuid".equals(schema.path("format").asText());
    }
  }

  /**
   * @param body the JSON request body's schema ({@code $ref}s resolved), or null when none
   * @param roles the roles the security requirement names (empty: any authenticated caller)
   */
  record Operation(
      String service,
      String method,
      String path,
      List<Param> pathParams,
      JsonNode body,
      boolean secured,
      Set<String> roles) {
    @Override
    public String toString() {
      return service + " " + method + " " + path;
    }
  }

  static List<Operation> of(String service, JsonNode document) {
    List<Operation> operations = new ArrayList<>();
    boolean securedByDefault = !document.path("security").isEmpty();
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      JsonNode item = path.getValue();
      for (Map.Entry<String, JsonNode> entry : item.properties()) {
        String method = entry.getKey().toUpperCase(Locale.ROOT);
        if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
          continue;
        }
        JsonNode op = entry.getValue();
        List<Param> params = new ArrayList<>();
        for (JsonNode p : concat(item.path("parameters"), op.path("parameters"))) {
          JsonNode param = resolve(document, p);
          if ("path".equals(param.path("in").asText())) {
            params.add(
                new Param(param.path("name").asText(), resolve(document, param.path("schema"))));
          }
        }
        // In template order, as the probe fills them in from the left.
        String template = path.getKey();
        params.sort(java.util.Comparator.comparingInt(p -> template.indexOf("{" + p.name() + "}")));
        JsonNode security = op.has("security") ? op.path("security") : document.path("security");
        Set<String> roles = new LinkedHashSet<>();
        security.forEach(
            requirement ->
                requirement.forEach(scopes -> scopes.forEach(s -> roles.add(s.asText()))));
        JsonNode schema =
            op.path("requestBody").path("content").path("application/json").path("schema");
        operations.add(
            new Operation(
                service,
                method,
                template,
                params,
                schema.isMissingNode() ? null : withProperties(document, resolve(document, schema)),
                op.has("security") ? !security.isEmpty() : securedByDefault,
                roles));
      }
    }
    return operations;
  }

  /** The schema or parameter {@code node} points to when it is a {@code $ref}. */
  static JsonNode resolve(JsonNode document, JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref") && hops < 10; hops++) {
      JsonNode target = document;
      for (String segment : current.path("$ref").asText().replaceFirst("^#/", "").split("/")) {
        target = target.path(segment);
      }
      current = target;
    }
    return current;
  }

  /** {@code schema} with each of its properties' {@code $ref} resolved. */
  private static JsonNode withProperties(JsonNode document, JsonNode schema) {
    if (!schema.has("properties")) {
      return schema;
    }
    ObjectNode copy = schema.deepCopy();
    ObjectNode properties = copy.putObject("properties");
    schema
        .path("properties")
        .properties()
        .forEach(p -> properties.set(p.getKey(), resolve(document, p.getValue())));
    return copy;
  }

  private static List<JsonNode> concat(JsonNode first, JsonNode second) {
    List<JsonNode> all = new ArrayList<>();
    first.forEach(all::add);
    second.forEach(all::add);
    return all;
  }
}
