package com.securebase.gateway.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Appends to and reads the audit log; always inside the entry's tenant transaction. */
@ApplicationScoped
public class AuditEntries {
  private static final String APPEND =
      "insert into audit_entry (tenant_id, event_id, source, occurred_at, actor_type, actor_id,"
          + " actor_email, action, resource_type, resource_id, outcome, source_ip, details,"
          + " prev_hash, hash) values (:tenant, :eventId, :source, :occurredAt, :actorType,"
          + " :actorId, :actorEmail, :action, :resourceType, :resourceId, :outcome, :sourceIp,"
          + " cast(cast(:details as text) as jsonb), decode('', 'hex'), decode('', 'hex'))"
          + " on conflict (event_id) do nothing";

  /** One entry to append; the trigger fills in the chain. */
  public record NewEntry(
      UUID tenantId,
      String eventId,
      String source,
      OffsetDateTime occurredAt,
      String actorType,
      String actorId,
      String actorEmail,
      String action,
      String resourceType,
      String resourceId,
      String outcome,
      String sourceIp,
      String detailsJson) {}

  public Uni<Void> append(Mutiny.Session session, NewEntry e) {
    return session
        .createNativeQuery(APPEND)
        .setParameter("tenant", e.tenantId())
        .setParameter("eventId", e.eventId())
        .setParameter("source", e.source())
        .setParameter("occurredAt", e.occurredAt())
        .setParameter("actorType", e.actorType())
        .setParameter("actorId", e.actorId())
        .setParameter("actorEmail", e.actorEmail())
        .setParameter("action", e.action())
        .setParameter("resourceType", e.resourceType())
        .setParameter("resourceId", e.resourceId())
        .setParameter("outcome", e.outcome())
        .setParameter("sourceIp", e.sourceIp())
        .setParameter("details", e.detailsJson())
        .executeUpdate()
        .replaceWithVoid();
  }

  /** Filters; null means any. Newest first, from {@code beforeSeq} (exclusive) when given. */
  public record Filter(
      String actorId,
      String action,
      String resourceType,
      String resourceId,
      String outcome,
      OffsetDateTime from,
      OffsetDateTime to,
      Long beforeSeq,
      int limit) {}

  public Uni<List<AuditEntry>> search(UUID tenantId, Filter f) {
    StringBuilder query = new StringBuilder("tenantId = :tenant");
    Map<String, Object> params = new HashMap<>();
    params.put("tenant", tenantId);
    clause(query, params, "actorId", f.actorId(), "=");
    clause(query, params, "action", f.action(), "=");
    clause(query, params, "resourceType", f.resourceType(), "=");
    clause(query, params, "resourceId", f.resourceId(), "=");
    clause(query, params, "outcome", f.outcome(), "=");
    clause(query, params, "occurredAt", f.from(), ">=");
    clause(query, params, "occurredAt", f.to(), "<");
    clause(query, params, "seq", f.beforeSeq(), "<");
    query.append(" order by seq desc");
    return AuditEntry.<AuditEntry>find(query.toString(), params).page(0, f.limit()).list();
  }

  private static void clause(
      StringBuilder query, Map<String, Object> params, String field, Object value, String op) {
    if (value != null) {
      String name = "p" + params.size();
      query.append(" and ").append(field).append(' ').append(op).append(" :").append(name);
      params.put(name, value);
    }
  }

  /**
   * @param brokenSeq the first entry whose content or link does not match, or null
   * @param reason {@code content} (the entry was edited) or {@code link} (entries were removed,
   *     inserted or reordered)
   */
  public record Verification(
      long entries, Long headSeq, String headHash, Long brokenSeq, String reason) {}

  private static final String CHAIN =
      "with chain as (select seq, hash, prev_hash, audit_entry_digest(prev_hash, e) as digest,"
          + " lag(hash) over (order by seq) as previous from audit_entry e"
          + " where tenant_id = :tenant)";

  /** Recomputes the tenant's whole chain in the database. */
  public Uni<Verification> verify(Mutiny.Session session, UUID tenantId) {
    Uni<Object[]> summary =
        session
            .createNativeQuery(
                CHAIN
                    + " select count(*), max(seq),"
                    + " (select encode(hash, 'hex') from chain order by seq desc limit 1)"
                    + " from chain",
                Object[].class)
            .setParameter("tenant", tenantId)
            .getSingleResult();
    Uni<List<Object[]>> broken =
        session
            .createNativeQuery(
                CHAIN
                    + " select seq, case when digest <> hash then 'content' else 'link' end"
                    + " from chain where digest <> hash"
                    + " or prev_hash <> coalesce(previous, decode(repeat('00', 32), 'hex'))"
                    + " order by seq limit 1",
                Object[].class)
            .setParameter("tenant", tenantId)
            .getResultList();
    return summary.chain(
        s ->
            broken.map(
                b -> {
                  List<Object[]> rows = new ArrayList<>(b);
                  return new Verification(
                      ((Number) s[0]).longValue(),
                      s[1] == null ? null : ((Number) s[1]).longValue(),
                      (String) s[2],
                      rows.isEmpty() ? null : ((Number) rows.get(0)[0]).longValue(),
                      rows.isEmpty() ? null : (String) rows.get(0)[1]);
                }));
  }
}
