package com.securebase.catalog;

/**
 * One event type: its CloudEvents {@code type}, the topic that carries it and the schema of its
 * data (a path relative to {@code kafka/schemas/}).
 */
public record EventTypeDefinition(String type, String topic, String schema, String description) {

  /** The service named in the type, {@code securebase.<service>.<entity>.<verb>}. */
  public String service() {
    return type.split("\\.")[1];
  }
}
