package com.securebase.webhooks.domain;

import com.securebase.problem.NotFoundProblem;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.TenantTransactions;
import com.securebase.webhooks.messaging.DeliveryDispatcher;
import com.securebase.webhooks.persistence.Attempt;
import com.securebase.webhooks.persistence.Delivery;
import com.securebase.webhooks.persistence.Endpoint;
import com.securebase.webhooks.persistence.Message;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reading messages, attempts and dead letters, and resending. Every query names the tenant as well
 * as running under its row-level security.
 */
@ApplicationScoped
public class MessageLog {
  private static final String RESCHEDULE =
      "insert into delivery (id, tenant_id, message_id, endpoint_id, status, attempts,"
          + " next_attempt_at, created_at) values (gen_random_uuid(), :tenant, :m, :endpoint,"
          + " 'pending', 0, :now, :now) on conflict (message_id, endpoint_id) do update set"
          + " status = 'pending', attempts = 0, next_attempt_at = :now, dead_lettered_at = null";

  @Inject TenantTransactions tx;
  @Inject DeliveryDispatcher dispatcher;
  @Inject Clock clock;

  /** Newest first; {@code after} is the keyset position of the previous page's last item. */
  public record Filter(
      String eventType,
      UUID endpointId,
      OffsetDateTime since,
      OffsetDateTime afterAt,
      UUID afterId,
      int limit) {}

  public record MessageWithDeliveries(Message message, List<Delivery> deliveries) {}

  public record DeadLetter(Delivery delivery, String eventType) {}

  public Uni<List<Message>> messages(Caller caller, Filter f) {
    StringBuilder q = new StringBuilder("tenantId = :tenant");
    Map<String, Object> p = new java.util.HashMap<>(Map.of("tenant", caller.tenantId()));
    if (f.eventType() != null) {
      q.append(" and eventType = :type");
      p.put("type", f.eventType());
    }
    if (f.since() != null) {
      q.append(" and createdAt >= :since");
      p.put("since", f.since());
    }
    if (f.endpointId() != null) {
      q.append(" and id in (select d.messageId from Delivery d where d.endpointId = :endpoint)");
      p.put("endpoint", f.endpointId());
    }
    if (f.afterAt() != null) {
      q.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
      p.put("at", f.afterAt());
      p.put("id", f.afterId());
    }
    q.append(" order by createdAt desc, id desc");
    return tx.inTenant(
        caller.tenantId(),
        s ->
            filteredEndpoint(f)
                .chain(() -> Message.<Message>find(q.toString(), p).page(0, f.limit() + 1).list()));
  }

  public Uni<MessageWithDeliveries> message(Caller caller, UUID id) {
    return tx.inTenant(
        caller.tenantId(),
        s ->
            visibleMessage(id)
                .chain(
                    m ->
                        Delivery.<Delivery>list("messageId = ?1 order by createdAt", m.id)
                            .map(ds -> new MessageWithDeliveries(m, ds))));
  }

  public Uni<List<Attempt>> attempts(Caller caller, UUID messageId) {
    return tx.inTenant(
        caller.tenantId(),
        s ->
            visibleMessage(messageId)
                .chain(m -> Attempt.<Attempt>list("messageId = ?1 order by id", m.id)));
  }

  public Uni<List<DeadLetter>> deadLetters(Caller caller, Filter f) {
    StringBuilder q = new StringBuilder("tenantId = :tenant and status = 'dead'");
    Map<String, Object> p = new java.util.HashMap<>(Map.of("tenant", caller.tenantId()));
    if (f.eventType() != null) {
      q.append(" and messageId in (select m.id from Message m where m.eventType = :type)");
      p.put("type", f.eventType());
    }
    if (f.endpointId() != null) {
      q.append(" and endpointId = :endpoint");
      p.put("endpoint", f.endpointId());
    }
    if (f.since() != null) {
      q.append(" and deadLetteredAt >= :since");
      p.put("since", f.since());
    }
    if (f.afterAt() != null) {
      q.append(" and (deadLetteredAt < :at or (deadLetteredAt = :at and id < :id))");
      p.put("at", f.afterAt());
      p.put("id", f.afterId());
    }
    q.append(" order by deadLetteredAt desc, id desc");
    return tx.inTenant(
        caller.tenantId(),
        s ->
            filteredEndpoint(f)
                .chain(() -> Delivery.<Delivery>find(q.toString(), p).page(0, f.limit() + 1).list())
                .chain(
                    ds -> {
                      if (ds.isEmpty()) {
                        return Uni.createFrom().item(List.<DeadLetter>of());
                      }
                      List<UUID> ids = ds.stream().map(d -> d.messageId).distinct().toList();
                      return Message.<Message>list("id in ?1", ids)
                          .map(
                              ms -> {
                                Map<UUID, String> types =
                                    ms.stream()
                                        .collect(Collectors.toMap(m -> m.id, m -> m.eventType));
                                List<DeadLetter> out = new ArrayList<>();
                                for (Delivery d : ds) {
                                  out.add(new DeadLetter(d, types.get(d.messageId)));
                                }
                                return out;
                              });
                    }));
  }

  /**
   * Delivers the message again with the same {@code webhook-id}: to {@code endpointId}, or to every
   * enabled endpoint it was delivered to before. Each delivery starts a fresh schedule.
   *
   * @return how many deliveries were scheduled
   */
  public Uni<Integer> resend(Caller caller, UUID messageId, UUID endpointId) {
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    return tx.inTenant(
        caller.tenantId(),
        s ->
            visibleMessage(messageId)
                .chain(
                    m -> {
                      Uni<List<UUID>> targets =
                          endpointId == null
                              ? s.createNativeQuery(
                                      "select d.endpoint_id from delivery d join endpoint e on"
                                          + " e.id = d.endpoint_id where d.message_id = :m and"
                                          + " d.tenant_id = :tenant and e.enabled",
                                      UUID.class)
                                  .setParameter("m", m.id)
                                  .setParameter("tenant", m.tenantId)
                                  .getResultList()
                              : Endpoints.find(endpointId, false)
                                  .map(
                                      (Function<Endpoint, List<UUID>>)
                                          e -> e.enabled ? List.of(e.id) : List.of());
                      return targets.chain(
                          ids -> {
                            Uni<Integer> scheduled = Uni.createFrom().item(0);
                            for (UUID endpoint : ids) { // one session: one statement at a time
                              scheduled =
                                  scheduled.chain(
                                      n ->
                                          s.createNativeQuery(RESCHEDULE)
                                              .setParameter("tenant", m.tenantId)
                                              .setParameter("m", m.id)
                                              .setParameter("endpoint", endpoint)
                                              .setParameter("now", now)
                                              .executeUpdate()
                                              .map(k -> n + k));
                            }
                            return scheduled;
                          });
                    })
                .invoke(n -> TenantTransactions.afterCommit(dispatcher::wake)));
  }

  /**
   * The endpoint a filter names must be the caller's: another tenant's is a 404, as the endpoint
   * itself, rather than an empty page.
   */
  private static Uni<Void> filteredEndpoint(Filter f) {
    return f.endpointId() == null
        ? Uni.createFrom().voidItem()
        : Endpoints.find(f.endpointId(), false).replaceWithVoid();
  }

  private static Uni<Message> visibleMessage(UUID id) {
    return Message.<Message>findById(id)
        .map(
            m -> {
              if (m == null) {
                throw new NotFoundProblem("Webhook message", id);
              }
              return m;
            });
  }
}
