package com.securebase.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem details object. {@code type} is stable and documented (clients branch on it),
 * {@code title} is the same for every occurrence of a type, {@code detail} explains this one;
 * extension members (such as {@code errors}) are written at the top level.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
// The exception mappers' Response entity: REST does not register it.
@RegisterForReflection
public record Problem(
    URI type,
    String title,
    int status,
    String detail,
    String instance,
    Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://securebase.dev/problems/";

  public Problem {
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  public static URI type(String slug) {
    return URI.create(TYPE_BASE + slug);
  }

  public Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, extensions);
  }

  @JsonAnyGetter
  public Map<String, Object> extensionMembers() {
    return new LinkedHashMap<>(extensions);
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Map<String, Object> extensions() {
    return extensions;
  }
}
