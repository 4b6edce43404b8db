package com.securebase.notifications.domain;

import com.securebase.notifications.messaging.NotificationEvents;
import com.securebase.notifications.persistence.Notification;
import com.securebase.notifications.persistence.NotificationSearch;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A user's inbox: only ever their own notifications (another user's or tenant's id is a 404, the
 * same answer as an id that does not exist). Every change writes {@code inbox.changed} to the
 * outbox so every replica can push the new unread count to the user's sockets.
 */
@ApplicationScoped
public class Inbox {
  @Inject TenantTransactions tx;
  @Inject NotificationEvents events;
  @Inject Clock clock;

  /** What a bulk request does. */
  public enum Action {
    READ,
    UNREAD,
    DELETE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Outcome(int changed, long unreadCount) {}

  private static final String READ_ALL =
      "update notification set read_at = :now where tenant_id = :tenant and user_id = :user"
          + " and read_at is null";

  /** The notifications a reconnecting client missed, oldest first. */
  public record Replay(boolean known, List<Notification> missed, long unreadCount) {}

  /** The caller's user id: notifications are addressed to users (their JWT subject). */
  public static UUID userId(Caller caller) {
    try {
      return UUID.fromString(caller.subject());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ProblemException(403, "forbidden", "Forbidden", "The token has no usable subject");
    }
  }

  public Uni<NotificationSearch.Page> list(
      Caller caller,
      NotificationType type,
      Boolean read,
      NotificationSearch.Sort sort,
      String cursor,
      int limit) {
    NotificationSearch.Query query =
        new NotificationSearch.Query(
            caller.tenantId(), userId(caller), type, read, sort, cursor, limit);
    return tx.inTenant(caller.tenantId(), s -> NotificationSearch.page(s, query));
  }

  public Uni<Notification> get(Caller caller, UUID id) {
    return tx.inTenant(caller.tenantId(), s -> own(caller, id));
  }

  public Uni<Long> unreadCount(Caller caller) {
    return tx.inTenant(caller.tenantId(), s -> unreadCount(s, caller.tenantId(), userId(caller)));
  }

  /** The unread count of a stream's user (the stream has no REST caller). */
  public Uni<Long> unreadCountOf(UUID tenant, UUID user) {
    return tx.inTenant(tenant, s -> unreadCount(s, tenant, user));
  }

  public static Uni<Long> unreadCount(Mutiny.Session session, UUID tenant, UUID user) {
    return session
        .createNativeQuery(
            "select count(*) from notification where tenant_id = :tenant and user_id = :user"
                + " and read_at is null",
            Long.class)
        .setParameter("tenant", tenant)
        .setParameter("user", user)
        .getSingleResult();
  }

  /** Marks one notification read or unread and answers it as it now is. */
  public Uni<Notification> mark(Caller caller, UUID id, boolean read) {
    OffsetDateTime now = now();
    UUID user = userId(caller);
    return tx.inTenant(
        caller.tenantId(),
        s ->
            own(caller, id)
                .call(
                    n -> {
                      if (read == (n.readAt != null)) {
                        return Uni.createFrom().voidItem(); // nothing changes, nothing to push
                      }
                      n.readAt = read ? now : null;
                      return s.flush()
                          .chain(() -> unreadCount(s, caller.tenantId(), user))
                          .chain(
                              count ->
                                  events.inboxChanged(
                                      caller.tenantId(),
                                      user,
                                      read ? "read" : "unread",
                                      List.of(id),
                                      count,
                                      now));
                    }));
  }

  public Uni<Outcome> delete(Caller caller, UUID id) {
    return bulk(caller, Action.DELETE, List.of(id));
  }

  /**
   * Applies one action to several of the caller's notifications, all or nothing: if any id is not
   * the caller's, nothing changes and the answer is a 404 naming the ids not found.
   */
  public Uni<Outcome> bulk(Caller caller, Action action, List<UUID> requested) {
    UUID tenant = caller.tenantId();
    UUID user = userId(caller);
    List<UUID> ids = List.copyOf(new LinkedHashSet<>(requested));
    OffsetDateTime now = now();
    return tx.inTenant(
        tenant,
        s ->
            s.createNativeQuery(
                    "select id from notification where tenant_id = :tenant and user_id = :user"
                        + " and id in (:ids) for update",
                    UUID.class)
                .setParameter("tenant", tenant)
                .setParameter("user", user)
                .setParameter("ids", ids)
                .getResultList()
                .chain(
                    found -> {
                      if (found.size() < ids.size()) {
                        Set<UUID> mine = Set.copyOf(found);
                        List<String> missing = new ArrayList<>();
                        ids.stream()
                            .filter(i -> !mine.contains(i))
                            .forEach(i -> missing.add(i.toString()));
                        throw notFound(missing);
                      }
                      return change(s, action, tenant, user, ids, now);
                    })
                .chain(
                    changed ->
                        unreadCount(s, tenant, user)
                            .call(
                                count ->
                                    events.inboxChanged(
                                        tenant,
                                        user,
                                        action == Action.DELETE ? "deleted" : action.code(),
                                        ids,
                                        count,
                                        now))
                            .map(count -> new Outcome(changed, count))));
  }

  /** Marks every unread notification of the caller (optionally of one type) read. */
  public Uni<Outcome> readAll(Caller caller, NotificationType type) {
    UUID tenant = caller.tenantId();
    UUID user = userId(caller);
    OffsetDateTime now = now();
    return tx.inTenant(
        tenant,
        s ->
            (type == null
                    ? s.createNativeQuery(READ_ALL)
                    : s.createNativeQuery(READ_ALL + " and type = :type")
                        .setParameter("type", type.code()))
                .setParameter("now", now)
                .setParameter("tenant", tenant)
                .setParameter("user", user)
                .executeUpdate()
                .chain(
                    changed ->
                        unreadCount(s, tenant, user)
                            .call(
                                count ->
                                    changed == 0
                                        ? Uni.createFrom().voidItem()
                                        : events.inboxChanged(
                                            tenant, user, "read_all", List.of(), count, now))
                            .map(count -> new Outcome(changed, count))));
  }

  /**
   * What a client missed since {@code lastSeenId} (at most {@code limit}, oldest first). An id that
   * is not the user's (or was deleted) cannot be resumed from: {@code known} is false.
   */
  public Uni<Replay> since(UUID tenant, UUID user, UUID lastSeenId, int limit) {
    return tx.inTenant(
        tenant,
        s ->
            s.createNativeQuery(
                    "select seq from notification where tenant_id = :tenant and user_id = :user"
                        + " and id = :id",
                    Long.class)
                .setParameter("tenant", tenant)
                .setParameter("user", user)
                .setParameter("id", lastSeenId)
                .getResultList()
                .chain(
                    seq ->
                        seq.isEmpty()
                            ? Uni.createFrom().<List<Notification>>nullItem()
                            : missed(s, tenant, user, seq.getFirst(), limit))
                .chain(
                    missed ->
                        unreadCount(s, tenant, user)
                            .map(
                                count ->
                                    new Replay(
                                        missed != null,
                                        missed == null ? List.of() : missed,
                                        count))));
  }

  private static Uni<List<Notification>> missed(
      Mutiny.Session s, UUID tenant, UUID user, long afterSeq, int limit) {
    return s.createNativeQuery(
            "select id from notification where tenant_id = :tenant and user_id = :user"
                + " and seq > :seq order by seq limit "
                + limit,
            UUID.class)
        .setParameter("tenant", tenant)
        .setParameter("user", user)
        .setParameter("seq", afterSeq)
        .getResultList()
        .chain(
            ids ->
                ids.isEmpty()
                    ? Uni.createFrom().item(List.<Notification>of())
                    : Notification.<Notification>list("id in ?1", ids)
                        .map(
                            found -> {
                              Map<UUID, Notification> byId = new java.util.HashMap<>();
                              found.forEach(n -> byId.put(n.id, n));
                              return ids.stream().map(byId::get).toList();
                            }));
  }

  private Uni<Notification> own(Caller caller, UUID id) {
    UUID user = userId(caller);
    return Notification.<Notification>findById(id)
        .map(
            n -> {
              if (n == null || !n.userId.equals(user)) {
                throw new NotFoundProblem("Notification", id);
              }
              return n;
            });
  }

  private static Uni<Integer> change(
      Mutiny.Session s, Action action, UUID tenant, UUID user, List<UUID> ids, OffsetDateTime now) {
    String where = " where tenant_id = :tenant and user_id = :user and id in (:ids)";
    Mutiny.MutationQuery query =
        switch (action) {
          case READ ->
              s.createNativeQuery(
                      "update notification set read_at = coalesce(read_at, :now)" + where)
                  .setParameter("now", now);
          case UNREAD -> s.createNativeQuery("update notification set read_at = null" + where);
          case DELETE -> s.createNativeQuery("delete from notification" + where);
        };
    return query
        .setParameter("tenant", tenant)
        .setParameter("user", user)
        .setParameter("ids", ids)
        .executeUpdate();
  }

  private static ProblemException notFound(List<String> missing) {
    return new ProblemException(
        404,
        "not-found",
        "Resource not found",
        "Notification(s) " + String.join(", ", missing) + " do not exist",
        Map.of("ids", missing));
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
