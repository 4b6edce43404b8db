package com.securebase.catalog;

import java.util.List;

/**
 * One Kafka topic of the catalog, with the settings it is created with.
 *
 * @param replicationFactor the production value; a single-node broker creates topics with 1
 */
public record TopicDefinition(
    String name,
    String owner,
    String description,
    int partitions,
    short replicationFactor,
    long retentionMs,
    String cleanupPolicy,
    List<EventTypeDefinition> events) {

  public TopicDefinition {
    events = List.copyOf(events);
  }
}
