package com.securebase.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A SecureBase domain event: the CloudEvents 1.0 attributes we use plus JSON data. On Kafka it
 * travels in binary mode ({@link CloudEventsKafka}); in a service it is created through {@link
 * DomainEvents}, which checks the type and the data against the catalog.
 *
 * @param id unique per event (UUID); consumers de-duplicate on it
 * @param source {@code /securebase/<service>}
 * @param tenantId the owning tenant (the Kafka key and the {@code tenantid} extension)
 * @param subject the id of the entity the event is about, if any
 * @param dataSchema the {@code $id} of the data's JSON Schema
 */
public record EventEnvelope(
    String id,
    String type,
    URI source,
    String tenantId,
    String subject,
    OffsetDateTime time,
    URI dataSchema,
    JsonNode data) {

  /** The tenant id of platform-scoped events (the tier matrix, platform audit entries). */
  public static final String PLATFORM = "platform";

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
  }

  /** Tenant ids are UUIDs, or {@link #PLATFORM} for platform-scoped events. */
  public static boolean validTenant(String tenantId) {
    if (PLATFORM.equals(tenantId)) {
      return true;
    }
    try {
      return tenantId != null
          && java.util.UUID.fromString(tenantId).toString().equals(tenantId.toLowerCase());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public boolean platformScoped() {
    return PLATFORM.equals(tenantId);
  }

  /** The data as a typed object (records with matching property names). */
  public <T> T dataAs(Class<T> type) {
    try {
      return EventJson.MAPPER.treeToValue(data, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Data of event " + id + " (" + this.type + ") is not a " + type.getSimpleName(), e);
    }
  }
}
