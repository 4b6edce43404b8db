package com.securebase.notifications.persistence;

import com.securebase.notifications.domain.NotificationType;
import com.securebase.problem.KeysetCursor;
import com.securebase.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * One user's inbox as pages: filters, three sorts and keyset cursors. A {@link KeysetCursor}
 * carries the sort it was made for and the last row's key (read flag for unread-first, creation
 * time in epoch microseconds, id), so pages never skip or repeat a row while notifications arrive.
 * (Marking a notification read while paging unread-first moves it, as it should.)
 */
public final class NotificationSearch {
  private NotificationSearch() {}

  private static final String CREATED_KEY =
      "cast(" + KeysetCursor.epochMicrosSql("n.created_at") + " as text)";
  private static final String CREATED_BOUND = KeysetCursor.fromEpochMicrosSql(":afterKey");

  public enum Sort {
    NEWEST("newest"),
    OLDEST("oldest"),
    UNREAD_FIRST("unread_first");

    final String name;

    Sort(String name) {
      this.name = name;
    }

    public static Sort parse(String value) {
      if (value == null || value.isBlank()) {
        return NEWEST;
      }
      for (Sort s : values()) {
        if (s.name.equals(value)) {
          return s;
        }
      }
      throw ProblemException.invalidField("sort", "must be one of newest, oldest, unread_first");
    }
  }

  /** The tenant is named in the SQL so the (tenant_id, user_id, …) indexes serve the page. */
  public record Query(
      UUID tenant,
      UUID user,
      NotificationType type,
      Boolean read,
      Sort sort,
      String cursor,
      int limit) {}

  public record Page(List<Notification> items, String nextCursor) {}

  public static Uni<Page> page(Mutiny.Session session, Query query) {
    StringBuilder sql =
        new StringBuilder("select n.id, (n.read_at is not null), ")
            .append(CREATED_KEY)
            .append(" from notification n where n.tenant_id = :tenant and n.user_id = :user");
    Map<String, Object> params = new HashMap<>();
    params.put("tenant", query.tenant());
    params.put("user", query.user());
    if (query.type() != null) {
      sql.append(" and n.type = :type");
      params.put("type", query.type().code());
    }
    if (query.read() != null) {
      sql.append(query.read() ? " and n.read_at is not null" : " and n.read_at is null");
    }
    boolean descending = query.sort() != Sort.OLDEST;
    String cmp = descending ? "<" : ">";
    if (query.cursor() != null) {
      // Keys: the read flag (checked in every sort, used by unread-first), then the creation time.
      KeysetCursor after = KeysetCursor.decode(query.cursor(), query.sort().name, 2);
      boolean afterRead = after.bool(0);
      String keyset =
          "(n.created_at, n.id) " + cmp + " (" + CREATED_BOUND + ", cast(:afterId as uuid))";
      if (query.sort() == Sort.UNREAD_FIRST) {
        sql.append(" and ((n.read_at is not null) > :afterRead or ((n.read_at is not null) =")
            .append(" :afterRead and ")
            .append(keyset)
            .append("))");
        params.put("afterRead", afterRead);
      } else {
        sql.append(" and ").append(keyset);
      }
      params.put("afterKey", after.micros(1));
      params.put("afterId", after.id());
    }
    String direction = descending ? " desc" : " asc";
    sql.append(" order by ");
    if (query.sort() == Sort.UNREAD_FIRST) {
      sql.append("(n.read_at is not null) asc, ");
    }
    sql.append("n.created_at").append(direction).append(", n.id").append(direction);
    sql.append(" limit ").append(query.limit() + 1);

    Mutiny.SelectionQuery<Object[]> select =
        session.createNativeQuery(sql.toString(), Object[].class);
    params.forEach(select::setParameter);
    return select
        .getResultList()
        .chain(
            rows -> {
              KeysetCursor.IdPage page =
                  KeysetCursor.idPage(query.sort().name, rows, query.limit());
              if (page.ids().isEmpty()) {
                return Uni.createFrom().item(new Page(List.of(), null));
              }
              return Notification.<Notification>list("id in ?1", page.ids())
                  .map(found -> new Page(page.inOrder(found, n -> n.id), page.nextCursor()));
            });
  }
}
