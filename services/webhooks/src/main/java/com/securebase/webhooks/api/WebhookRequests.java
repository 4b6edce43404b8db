package com.securebase.webhooks.api;

import com.securebase.problem.KeysetCursor;
import com.securebase.webhooks.persistence.Attempt;
import com.securebase.webhooks.persistence.Delivery;
import com.securebase.webhooks.persistence.Endpoint;
import com.securebase.webhooks.persistence.Message;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Request and response bodies of the webhook API. */
public final class WebhookRequests {
  private WebhookRequests() {}

  /** {@code eventTypes} absent or empty: every event type. */
  public record CreateEndpoint(
      @NotBlank @Size(max = 2048) String url,
      @Size(max = 500) String description,
      @Size(max = 100) List<@NotNull @Size(min = 1, max = 200) String> eventTypes,
      Boolean enabled,
      @Min(1) @Max(10_000) Integer rateLimitPerSecond) {}

  /**
   * Absent fields are left as they are; {@code eventTypes: []} subscribes to every type, {@code
   * rateLimitPerSecond: 0} removes the limit, {@code enabled: true} also clears an automatic
   * disabling.
   */
  public record UpdateEndpoint(
      @Size(min = 1, max = 2048) String url,
      @Size(max = 500) String description,
      @Size(max = 100) List<@NotNull @Size(min = 1, max = 200) String> eventTypes,
      Boolean enabled,
      @Min(0) @Max(10_000) Integer rateLimitPerSecond) {}

  public record Recover(@NotNull OffsetDateTime since) {}

  // Nested in EndpointWithSecret.
  @RegisterForReflection
  public record EndpointView(
      UUID id,
      String url,
      String description,
      List<String> eventTypes,
      boolean enabled,
      String disabledReason,
      Integer rateLimitPerSecond,
      OffsetDateTime secretRotatedAt,
      OffsetDateTime failingSince,
      int version,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {
    static EndpointView of(Endpoint e) {
      return new EndpointView(
          e.id,
          e.url,
          e.description,
          e.eventTypeList(),
          e.enabled,
          e.disabledReason,
          e.rateLimitPerSecond,
          e.secretRotatedAt,
          e.failingSince,
          e.version,
          e.createdAt,
          e.updatedAt);
    }
  }

  /** Returned on creation and rotation only: the secret is not shown again. */
  // Response.created entity of EndpointResource.create.
  @RegisterForReflection
  public record EndpointWithSecret(
      EndpointView endpoint, String secret, OffsetDateTime previousSecretExpiresAt) {}

  public record SecretRotated(String secret, OffsetDateTime previousSecretExpiresAt) {}

  public record DeliveryView(
      UUID id,
      UUID messageId,
      String webhookId,
      UUID endpointId,
      String status,
      int attempts,
      OffsetDateTime nextAttemptAt,
      OffsetDateTime lastAttemptAt,
      Integer lastStatusCode,
      String lastError,
      OffsetDateTime deadLetteredAt,
      String eventType,
      OffsetDateTime createdAt) {
    static DeliveryView of(Delivery d, String eventType) {
      return new DeliveryView(
          d.id,
          d.messageId,
          Message.webhookId(d.messageId),
          d.endpointId,
          d.status,
          d.attempts,
          "pending".equals(d.status) ? d.nextAttemptAt : null,
          d.lastAttemptAt,
          d.lastStatusCode,
          d.lastError,
          d.deadLetteredAt,
          eventType,
          d.createdAt);
    }
  }

  public record MessageView(
      UUID id,
      String webhookId,
      String eventId,
      String eventType,
      OffsetDateTime createdAt,
      String payload,
      List<DeliveryView> deliveries) {
    static MessageView of(Message m, List<DeliveryView> deliveries) {
      return new MessageView(
          m.id,
          Message.webhookId(m.id),
          m.eventId,
          m.eventType,
          m.createdAt,
          m.payload,
          deliveries);
    }
  }

  public record AttemptView(
      long id,
      UUID deliveryId,
      UUID endpointId,
      OffsetDateTime attemptedAt,
      String outcome,
      Integer statusCode,
      int latencyMs,
      String responseExcerpt,
      String error) {
    static AttemptView of(Attempt a) {
      return new AttemptView(
          a.id,
          a.deliveryId,
          a.endpointId,
          a.attemptedAt,
          a.outcome,
          a.statusCode,
          a.latencyMs,
          a.responseExcerpt,
          a.error);
    }
  }

  /** A page of a list ordered newest first; its cursor is the last item's time (µs) and id. */
  public record Page<T>(List<T> items, String nextCursor) {
    /** The sort of the endpoint and message lists. */
    static final String NEWEST = "-createdAt";

    /** The sort of the dead-letter list. */
    static final String NEWEST_DEAD = "-deadLetteredAt";

    /**
     * A page from a query that fetched {@code limit + 1} rows: the extra row only says there is a
     * next page, whose cursor is the last shown item's position.
     */
    static <E, T> Page<T> of(
        List<E> found, int limit, Function<E, T> view, Function<E, KeysetCursor> position) {
      KeysetCursor.Page<E> page = KeysetCursor.page(found, limit);
      return new Page<>(page.rows().stream().map(view).toList(), page.nextCursor(position));
    }

    /** Where a list in {@code sort} continues: null for its first page. */
    static KeysetCursor after(String cursor, String sort) {
      return cursor == null ? null : KeysetCursor.decode(cursor, sort, 1);
    }
  }

  // Response.accepted entity of EndpointResource.recover and MessageResource.resend.
  @RegisterForReflection
  public record Requeued(int deliveries) {}

  // Response.accepted entity of EndpointResource.sendTest.
  @RegisterForReflection
  public record TestSent(UUID messageId, String webhookId) {}
}
