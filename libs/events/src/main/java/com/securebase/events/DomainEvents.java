package com.securebase.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.catalog.EventCatalog;
import com.securebase.catalog.EventTypeDefinition;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Creates the events of one service: the type must be in the catalog and belong to this service,
 * and the data must match the type's JSON Schema, so an invalid event never reaches the outbox.
 */
public final class DomainEvents {
  private static final String SCHEMA_BASE = "https://schemas.securebase.dev/events/";

  private final String service;
  private final URI source;
  private final EventCatalog catalog;
  private final Clock clock;

  public DomainEvents(String service, Clock clock) {
    this.service = service;
    this.source = URI.create("/securebase/" + service);
    this.catalog = EventCatalog.load();
    this.clock = clock;
  }

  public DomainEvents(String service) {
    this(service, Clock.systemUTC());
  }

  public String service() {
    return service;
  }

  /**
   * @param data a record, map or {@link JsonNode} serialised with {@link EventJson#MAPPER}
   */
  public EventEnvelope create(String type, String tenantId, String subject, Object data) {
    if (!EventEnvelope.validTenant(tenantId)) {
      throw new IllegalArgumentException(
          "Tenant id '" + tenantId + "' is neither a UUID nor 'platform'");
    }
    EventTypeDefinition definition = catalog.type(type);
    if (!definition.service().equals(service)) {
      throw new IllegalArgumentException(
          "Service '"
              + service
              + "' may not emit '"
              + type
              + "' (owned by "
              + definition.service()
              + ")");
    }
    JsonNode tree = data instanceof JsonNode node ? node : EventJson.MAPPER.valueToTree(data);
    catalog.validate(type, tree);
    return new EventEnvelope(
        UUID.randomUUID().toString(),
        type,
        source,
        tenantId,
        subject,
        OffsetDateTime.now(clock)
            .withOffsetSameInstant(ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MICROS),
        schemaUri(definition),
        tree);
  }

  static URI schemaUri(EventTypeDefinition definition) {
    return URI.create(SCHEMA_BASE + definition.schema().replaceFirst("\\.json$", ""));
  }
}
