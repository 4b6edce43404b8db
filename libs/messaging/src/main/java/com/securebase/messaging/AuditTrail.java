package com.securebase.messaging;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.tenancy.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Audit entries ({@code securebase.<service>.audit.recorded}) written to the outbox in the caller's
 * transaction, so an audited change and its entry commit together; the gateway's audit log chains
 * them.
 */
@ApplicationScoped
public class AuditTrail {
  @Inject Outbox outbox;

  @ConfigProperty(name = "securebase.service.name")
  String service;

  private DomainEvents events;

  @PostConstruct
  void init() {
    events = new DomainEvents(service);
  }

  /** Who did something, as the audit entry names them. */
  public record Actor(String type, String id, String email) {
    public static Actor of(Caller caller) {
      return new Actor(caller.kind().equals("apikey") ? "apikey" : "user", caller.subject(), null);
    }

    public static Actor user(String id, String email) {
      return new Actor("user", id, email);
    }

    public static Actor system(String component) {
      return new Actor("system", component, null);
    }
  }

  /** A successful action on a resource. */
  public Uni<Void> record(
      String tenant, Actor actor, String action, String resourceType, String resourceId) {
    return record(tenant, actor, action, resourceType, resourceId, true, null, Map.of());
  }

  public Uni<Void> record(
      String tenant,
      Actor actor,
      String action,
      String resourceType,
      String resourceId,
      boolean success,
      String sourceIp,
      Map<String, Object> details) {
    return outbox.append(
        entry(tenant, actor, action, resourceType, resourceId, success, sourceIp, details));
  }

  /**
   * The same entry written through a plain SQL client, inside the transaction that client runs (see
   * {@link Outbox#append(SqlClient, EventEnvelope)}).
   */
  public Uni<Void> record(
      SqlClient transaction,
      String tenant,
      Actor actor,
      String action,
      String resourceType,
      String resourceId,
      Map<String, Object> details) {
    return outbox.append(
        transaction, entry(tenant, actor, action, resourceType, resourceId, true, null, details));
  }

  private EventEnvelope entry(
      String tenant,
      Actor actor,
      String action,
      String resourceType,
      String resourceId,
      boolean success,
      String sourceIp,
      Map<String, Object> details) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", tenant);
    Map<String, Object> who = new LinkedHashMap<>();
    who.put("type", actor.type());
    who.put("id", actor.id());
    if (actor.email() != null) {
      who.put("email", actor.email());
    }
    data.put("actor", who);
    data.put("action", action);
    data.put("resource", Map.of("type", resourceType, "id", resourceId));
    data.put("outcome", success ? "success" : "failure");
    data.put("occurredAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
    if (sourceIp != null) {
      data.put("sourceIp", sourceIp);
    }
    if (!details.isEmpty()) {
      data.put("details", details);
    }
    return events.create("securebase." + service + ".audit.recorded", tenant, resourceId, data);
  }
}
