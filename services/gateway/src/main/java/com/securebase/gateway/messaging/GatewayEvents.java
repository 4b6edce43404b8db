package com.securebase.gateway.messaging;

import com.securebase.events.DomainEvents;
import com.securebase.gateway.persistence.ApiKey;
import com.securebase.gateway.persistence.Tenant;
import com.securebase.messaging.Outbox;
import com.securebase.tenancy.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's events, written to the outbox inside the caller's transaction: the domain event
 * and, for security-relevant actions, an audit entry.
 */
@ApplicationScoped
public class GatewayEvents {
  private final DomainEvents events = new DomainEvents("gateway");

  @Inject Outbox outbox;

  public Uni<Void> tenant(String verb, Tenant t, List<String> changes, Caller actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", t.tenantId.toString());
    data.put("name", t.name);
    data.put("tier", t.tier);
    Map<String, Object> branding = new LinkedHashMap<>();
    branding.put("displayName", t.displayName);
    branding.put("primaryColor", t.primaryColor);
    branding.put("logoUrl", t.logoUrl);
    data.put("branding", branding);
    data.put("ipAllowlist", t.allowlist());
    data.put("mfaRequired", t.mfaRequired);
    data.put("sessionLengthMinutes", t.sessionMinutes);
    data.put("taxRate", t.taxRate.toPlainString());
    data.put("version", t.version + 1); // events count versions from 1; the row from 0
    data.put("createdAt", t.createdAt.toString());
    data.put("updatedAt", t.updatedAt.toString());
    if (!changes.isEmpty()) {
      data.put("changes", changes);
    }
    String id = t.tenantId.toString();
    return outbox
        .append(events.create("securebase.gateway.tenant." + verb, id, id, data))
        .chain(() -> audit(id, actor, "tenant." + verb, "tenant", id));
  }

  public Uni<Void> apiKey(String verb, ApiKey k, Caller actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("apiKeyId", k.id.toString());
    data.put("tenantId", k.tenantId.toString());
    data.put("name", k.name);
    data.put("prefix", k.prefix);
    data.put("last4", k.last4);
    data.put("scopes", k.scopeList());
    data.put("expiresAt", utc(k.expiresAt));
    data.put("revokedAt", utc(k.revokedAt));
    data.put("createdBy", k.createdBy);
    data.put("createdAt", utc(k.createdAt));
    String tenant = k.tenantId.toString();
    return outbox
        .append(events.create("securebase.gateway.apikey." + verb, tenant, k.id.toString(), data))
        .chain(() -> audit(tenant, actor, "apikey." + verb, "apikey", k.id.toString()));
  }

  private Uni<Void> audit(
      String tenant, Caller actor, String action, String resourceType, String resourceId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", tenant);
    data.put(
        "actor",
        Map.of("type", actor.kind().equals("apikey") ? "apikey" : "user", "id", actor.subject()));
    data.put("action", action);
    data.put("resource", Map.of("type", resourceType, "id", resourceId));
    data.put("outcome", "success");
    data.put("occurredAt", utc(OffsetDateTime.now()));
    return outbox.append(
        events.create("securebase.gateway.audit.recorded", tenant, resourceId, data));
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}
