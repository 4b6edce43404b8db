package com.securebase.notifications.persistence;

import com.securebase.notifications.domain.NotificationType;
import com.securebase.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * One user's inbox as pages: filters, three sorts and keyset cursors. A cursor carries the sort it
 * was made for and the last row's key (read flag for unread-first, creation time in epoch
 * microseconds, id), so pages never skip or repeat a row while notifications arrive. (Marking a
 * notification read while paging unread-first moves it, as it should.)
 */
public final class NotificationSearch {
  private NotificationSearch() {}

  private static final long MAX_EPOCH_MICROS = 9_000_000_000_000_000_000L;
  private static final String CREATED_KEY =
      "cast(cast(extract(epoch from n.created_at) * 1000000 as bigint) as text)";
  private static final String CREATED_BOUND =
      "(timestamptz 'epoch' + cast(:afterKey as bigint) * interval '1 microsecond')";

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
      Cursor c = Cursor.decode(query.cursor(), query.sort());
      String keyset =
          "(n.created_at, n.id) " + cmp + " (" + CREATED_BOUND + ", cast(:afterId as uuid))";
      if (query.sort() == Sort.UNREAD_FIRST) {
        sql.append(" and ((n.read_at is not null) > :afterRead or ((n.read_at is not null) =")
            .append(" :afterRead and ")
            .append(keyset)
            .append("))");
        params.put("afterRead", c.read());
      } else {
        sql.append(" and ").append(keyset);
      }
      params.put("afterKey", c.micros());
      params.put("afterId", c.id());
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
              boolean more = rows.size() > query.limit();
              List<Object[]> page = more ? rows.subList(0, query.limit()) : rows;
              List<UUID> ids = new ArrayList<>();
              page.forEach(r -> ids.add((UUID) r[0]));
              String next = null;
              if (more) {
                Object[] last = page.getLast();
                next =
                    new Cursor(
                            query.sort(),
                            (Boolean) last[1],
                            Long.parseLong((String) last[2]),
                            (UUID) last[0])
                        .encode();
              }
              if (ids.isEmpty()) {
                return Uni.createFrom().item(new Page(List.of(), null));
              }
              String nextCursor = next;
              return Notification.<Notification>list("id in ?1", ids)
                  .map(
                      found -> {
                        Map<UUID, Notification> byId =
                            found.stream()
                                .collect(Collectors.toMap(n -> n.id, Function.identity()));
                        return new Page(ids.stream().map(byId::get).toList(), nextCursor);
                      });
            });
  }

  record Cursor(Sort sort, boolean read, long micros, UUID id) {
    String encode() {
      String raw = sort.name + "|" + read + "|" + micros + "|" + id;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor, Sort sort) {
      String[] parts;
      Cursor decoded;
      try {
        parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                .split("\\|", 4);
        if (parts.length != 4 || !(parts[1].equals("true") || parts[1].equals("false"))) {
          throw new IllegalArgumentException("not a cursor");
        }
        decoded =
            new Cursor(
                sort,
                Boolean.parseBoolean(parts[1]),
                Long.parseLong(parts[2]),
                UUID.fromString(parts[3]));
      } catch (IllegalArgumentException e) {
        throw ProblemException.invalidField("cursor", "is not a cursor this API returned");
      }
      // Postgres timestamps end in 294276 AD; past that the bound would be a database error.
      if (!parts[0].equals(sort.name) || Math.abs(decoded.micros()) >= MAX_EPOCH_MICROS) {
        throw ProblemException.invalidField(
            "cursor", "was made for another sort; start again without a cursor");
      }
      return decoded;
    }
  }
}
