package com.securebase.webhooks.domain;

import com.securebase.catalog.EventCatalog;
import com.securebase.catalog.UnknownEventTypeException;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.ConflictProblem;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.AddressPolicy;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.TenantTransactions;
import com.securebase.webhooks.messaging.DeliveryDispatcher;
import com.securebase.webhooks.messaging.WebhookEvents;
import com.securebase.webhooks.persistence.Endpoint;
import com.securebase.webhooks.persistence.Message;
import com.securebase.webhooks.persistence.Messages;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Endpoint rules: URL checks (https outside development, no refused IP literal), event-type filters
 * from the catalog, secret rotation with a 24 h overlap, test events, recovery of dead letters.
 * Another tenant's endpoint is a 404.
 */
@ApplicationScoped
public class Endpoints {
  /** Type of the events sent by "send a test event" (not a catalog type: never on Kafka). */
  public static final String TEST_EVENT_TYPE = "securebase.webhooks.endpoint.test";

  @Inject TenantTransactions tx;
  @Inject WebhookEvents events;
  @Inject DeliveryDispatcher dispatcher;
  @Inject Clock clock;

  @ConfigProperty(name = "securebase.webhooks.require-https", defaultValue = "true")
  boolean requireHttps;

  @ConfigProperty(name = "securebase.webhooks.ssrf.allowlist")
  Optional<List<String>> allowlist;

  public record Change(
      String url,
      String description,
      List<String> eventTypes,
      Boolean enabled,
      Integer rateLimitPerSecond) {}

  public OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }

  public Uni<Endpoint> create(
      Caller caller,
      String url,
      String description,
      List<String> eventTypes,
      Boolean enabled,
      Integer rateLimitPerSecond) {
    OffsetDateTime now = now();
    Endpoint e = new Endpoint();
    e.id = UUID.randomUUID();
    e.tenantId = caller.tenantId();
    e.url = checkedUrl(url);
    e.description = description;
    e.eventTypes = Endpoint.eventTypesColumn(checkedTypes(eventTypes));
    e.enabled = enabled == null || enabled;
    e.disabledReason = e.enabled ? null : "manual";
    e.rateLimitPerSecond = rateLimitPerSecond;
    e.secret = EndpointSecret.generate();
    e.version = 1;
    e.createdAt = now;
    e.updatedAt = now;
    return tx.inTenant(
        caller.tenantId(),
        s ->
            e.<Endpoint>persist()
                .call(() -> events.endpointChanged("created", e, null, Actor.of(caller), null)));
  }

  public Uni<Endpoint> get(Caller caller, UUID id) {
    return tx.inTenant(caller.tenantId(), s -> find(id, false));
  }

  public Uni<Endpoint> update(Caller caller, UUID id, Change change) {
    String url = change.url() == null ? null : checkedUrl(change.url());
    boolean typesGiven = change.eventTypes() != null; // [] means every type again
    String typesColumn =
        typesGiven ? Endpoint.eventTypesColumn(checkedTypes(change.eventTypes())) : null;
    return tx.inTenant(
        caller.tenantId(),
        s ->
            find(id, true)
                .call(
                    e -> {
                      List<String> changed = new ArrayList<>();
                      if (url != null && !url.equals(e.url)) {
                        e.url = url;
                        changed.add("url");
                      }
                      if (change.description() != null
                          && !change.description().equals(e.description)) {
                        e.description = change.description();
                        changed.add("description");
                      }
                      if (typesGiven && !Objects.equals(typesColumn, e.eventTypes)) {
                        e.eventTypes = typesColumn;
                        changed.add("eventTypes");
                      }
                      if (change.enabled() != null && change.enabled() != e.enabled) {
                        e.enabled = change.enabled();
                        e.disabledReason = e.enabled ? null : "manual";
                        e.failingSince = null;
                        changed.add("enabled");
                        changed.add("disabledReason");
                      }
                      if (change.rateLimitPerSecond() != null) {
                        Integer limit =
                            change.rateLimitPerSecond() == 0 ? null : change.rateLimitPerSecond();
                        if (!Objects.equals(limit, e.rateLimitPerSecond)) {
                          e.rateLimitPerSecond = limit;
                          changed.add("rateLimitPerSecond");
                        }
                      }
                      if (changed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                      }
                      e.version++;
                      e.updatedAt = now();
                      return s.flush()
                          .chain(
                              () ->
                                  events.endpointChanged(
                                      "updated", e, changed, Actor.of(caller), null))
                          .invoke(
                              () -> {
                                if (e.enabled) {
                                  TenantTransactions.afterCommit(dispatcher::wake);
                                }
                              });
                    }));
  }

  public Uni<Void> delete(Caller caller, UUID id) {
    return tx.inTenant(
        caller.tenantId(),
        s ->
            find(id, true)
                .call(e -> events.endpointChanged("deleted", e, null, Actor.of(caller), now()))
                .call(e -> e.delete())
                .replaceWithVoid());
  }

  /** A new secret; the previous one keeps signing for {@link EndpointSecret#OVERLAP}. */
  public Uni<Endpoint> rotateSecret(Caller caller, UUID id) {
    OffsetDateTime now = now();
    return tx.inTenant(
        caller.tenantId(),
        s ->
            find(id, true)
                .call(
                    e -> {
                      e.previousSecret = e.secret;
                      e.previousSecretExpiresAt = now.plus(EndpointSecret.OVERLAP);
                      e.secret = EndpointSecret.generate();
                      e.secretRotatedAt = now;
                      e.version++;
                      e.updatedAt = now;
                      return s.flush()
                          .chain(
                              () ->
                                  events.endpointChanged(
                                      "updated",
                                      e,
                                      List.of("secretRotatedAt"),
                                      Actor.of(caller),
                                      null));
                    }));
  }

  /** Sends a test event to this endpoint only, whatever its filters. */
  public Uni<Message> sendTest(Caller caller, UUID id) {
    OffsetDateTime now = now();
    return tx.inTenant(
        caller.tenantId(),
        s ->
            find(id, false)
                .chain(
                    e -> {
                      if (!e.enabled) {
                        throw disabled(e);
                      }
                      String eventId = UUID.randomUUID().toString();
                      return Messages.toEndpoint(
                          s,
                          e.tenantId,
                          e.id,
                          eventId,
                          TEST_EVENT_TYPE,
                          testPayload(eventId, e, now),
                          now);
                    })
                .invoke(m -> TenantTransactions.afterCommit(dispatcher::wake)));
  }

  /** Dead letters of this endpoint since {@code since} are due again, with a fresh schedule. */
  public Uni<Integer> recover(Caller caller, UUID id, OffsetDateTime since) {
    return tx.inTenant(
        caller.tenantId(),
        s ->
            find(id, false)
                .chain(
                    e -> {
                      if (!e.enabled) {
                        throw disabled(e);
                      }
                      return s.createNativeQuery(
                              "update delivery set status = 'pending', attempts = 0,"
                                  + " next_attempt_at = :now, dead_lettered_at = null"
                                  + " where tenant_id = :tenant and endpoint_id = :endpoint"
                                  + " and status = 'dead' and dead_lettered_at >= :since")
                          .setParameter("now", now())
                          .setParameter("tenant", e.tenantId)
                          .setParameter("endpoint", e.id)
                          .setParameter("since", since)
                          .executeUpdate();
                    })
                .invoke(n -> TenantTransactions.afterCommit(dispatcher::wake)));
  }

  /** The endpoint of the caller's tenant (RLS scopes the lookup), or a 404. */
  public static Uni<Endpoint> find(UUID id, boolean lock) {
    Uni<Endpoint> found =
        lock ? Endpoint.findById(id, LockModeType.PESSIMISTIC_WRITE) : Endpoint.findById(id);
    return found.map(
        e -> {
          if (e == null) {
            throw new NotFoundProblem("Webhook endpoint", id);
          }
          return e;
        });
  }

  private static ConflictProblem disabled(Endpoint e) {
    return new ConflictProblem(
        "endpoint-disabled",
        "Endpoint disabled",
        "The endpoint is disabled ("
            + e.disabledReason
            + "); enable it first with PATCH {\"enabled\": true}",
        java.util.Map.of("disabledReason", e.disabledReason));
  }

  private static String testPayload(String eventId, Endpoint e, OffsetDateTime now) {
    return "{\"id\":\""
        + eventId
        + "\",\"type\":\""
        + TEST_EVENT_TYPE
        + "\",\"timestamp\":\""
        + now
        + "\",\"tenantId\":\""
        + e.tenantId
        + "\",\"data\":{\"endpointId\":\""
        + e.id
        + "\",\"message\":\"Test event from SecureBase\"}}";
  }

  /** Absolute http(s) URL with a host; https unless development allows http; no refused IP. */
  String checkedUrl(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw ProblemException.invalidField("url", "must be an absolute http(s) URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw ProblemException.invalidField("url", "must be an absolute http(s) URL");
    }
    if (requireHttps && !scheme.equals("https")) {
      throw ProblemException.invalidField("url", "must use https");
    }
    if (uri.getUserInfo() != null) {
      throw ProblemException.invalidField("url", "must not contain credentials");
    }
    if (AddressPolicy.isLiteral(uri.getHost())) {
      Optional<String> refusal =
          AddressPolicy.parse(allowlist.orElse(List.of()))
              .refusal(AddressPolicy.literal(uri.getHost()));
      if (refusal.isPresent()) {
        throw ProblemException.invalidField("url", "is not allowed: " + refusal.get());
      }
    }
    return uri.toString();
  }

  /** Catalog types only, without duplicates; empty means every type (null). */
  static List<String> checkedTypes(List<String> types) {
    if (types == null || types.isEmpty()) {
      return null;
    }
    for (String type : types) {
      try {
        EventCatalog.load().type(type);
      } catch (UnknownEventTypeException e) {
        throw ProblemException.invalidField("eventTypes", "unknown event type " + type);
      }
    }
    return List.copyOf(new LinkedHashSet<>(types));
  }
}
