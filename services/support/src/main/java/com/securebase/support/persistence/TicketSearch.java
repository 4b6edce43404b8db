package com.securebase.support.persistence;

import com.securebase.problem.ProblemException;
import com.securebase.support.domain.Priority;
import com.securebase.support.domain.TicketStatus;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Ticket lists: filters, Postgres full-text search, sorts and keyset (cursor) pagination. A cursor
 * carries the sort it was made for, the last row's sort key and its id, so pages never skip or
 * repeat a row while tickets are added.
 */
public final class TicketSearch {
  private TicketSearch() {}

  /**
   * A sort: the SQL it orders by (index-friendly), the exact key its cursor stores (timestamps as
   * epoch microseconds, so a cursor never loses precision), and that key's SQL type.
   */
  public enum Sort {
    NEWEST("-createdAt", "t.created_at", true, "numeric"),
    OLDEST("createdAt", "t.created_at", false, "numeric"),
    RECENTLY_UPDATED("-updatedAt", "t.updated_at", true, "numeric"),
    PRIORITY(
        "priority",
        "array_position(array['critical','high','medium','low'], t.priority)",
        false,
        "integer"),
    DUE("dueAt", "t.first_response_due_at", false, "numeric"),
    RELEVANCE("relevance", "ts_rank(%s, websearch_to_tsquery('english', :q))", true, "real");

    final String name;
    final String order;
    final boolean descending;
    final String type;

    Sort(String name, String order, boolean descending, String type) {
      this.name = name;
      this.order = order;
      this.descending = descending;
      this.type = type;
    }

    String cursorKey(String orderSql) {
      return type.equals("numeric") ? "(extract(epoch from " + orderSql + ") * 1000000)" : orderSql;
    }

    /** The cursor's key as the typed parameter the database expects. */
    Object keyValue(String key) {
      return switch (type) {
        case "numeric" -> new java.math.BigDecimal(key);
        case "integer" -> Integer.parseInt(key);
        default -> Float.parseFloat(key);
      };
    }

    /** A tampered cursor must be a 400, not a cast error in the database. */
    boolean validKey(String key) {
      try {
        Object value = keyValue(key);
        return !(value instanceof Float f) || Float.isFinite(f);
      } catch (NumberFormatException e) {
        return false;
      }
    }

    public static Sort parse(String value, boolean searching) {
      if (value == null || value.isBlank()) {
        return searching ? RELEVANCE : NEWEST;
      }
      for (Sort s : values()) {
        if (s.name.equals(value)) {
          if (s == RELEVANCE && !searching) {
            throw ProblemException.invalidField("sort", "relevance needs a search query q");
          }
          return s;
        }
      }
      throw ProblemException.invalidField(
          "sort", "must be one of -createdAt, createdAt, -updatedAt, priority, dueAt, relevance");
    }
  }

  /** What the caller asked for; {@code requester} restricts to one requester's own tickets. */
  public record Query(
      TicketStatus status,
      Priority priority,
      UUID assignee,
      String tag,
      String q,
      Sort sort,
      String cursor,
      int limit,
      UUID requester,
      boolean includeInternal) {}

  public record Page(List<Ticket> items, String nextCursor) {}

  public static Uni<Page> page(Mutiny.Session session, Query query) {
    String vector = query.includeInternal() ? "t.search_all" : "t.search_public";
    String order =
        query.sort() == Sort.RELEVANCE
            ? String.format(query.sort().order, vector)
            : query.sort().order;
    String key = query.sort().cursorKey(order);
    StringBuilder sql =
        new StringBuilder("select t.id, cast(")
            .append(key)
            .append(" as text) from ticket t where true");
    Map<String, Object> params = new HashMap<>();
    if (query.status() != null) {
      sql.append(" and t.status = :status");
      params.put("status", query.status().code());
    }
    if (query.priority() != null) {
      sql.append(" and t.priority = :priority");
      params.put("priority", query.priority().code());
    }
    if (query.assignee() != null) {
      sql.append(" and t.assignee_id = :assignee");
      params.put("assignee", query.assignee());
    }
    if (query.tag() != null) {
      sql.append(" and :tag = any(string_to_array(t.tags, ','))");
      params.put("tag", query.tag());
    }
    if (query.requester() != null) {
      sql.append(" and t.requester_id = :requester");
      params.put("requester", query.requester());
    }
    if (query.q() != null) {
      sql.append(" and ").append(vector).append(" @@ websearch_to_tsquery('english', :q)");
      params.put("q", query.q());
    }
    if (query.cursor() != null) {
      String[] cursor = decode(query.cursor(), query.sort());
      sql.append(" and (")
          .append(key)
          .append(", t.id) ")
          .append(query.sort().descending ? "<" : ">")
          .append(" (cast(:afterKey as ")
          .append(query.sort().type)
          .append("), cast(:afterId as uuid))");
      params.put("afterKey", query.sort().keyValue(cursor[1]));
      params.put("afterId", UUID.fromString(cursor[2]));
    }
    String direction = query.sort().descending ? " desc" : " asc";
    sql.append(" order by ").append(order).append(direction).append(", t.id").append(direction);
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
              String next =
                  more ? encode(query.sort(), (String) page.getLast()[1], ids.getLast()) : null;
              if (ids.isEmpty()) {
                return Uni.createFrom().item(new Page(List.of(), null));
              }
              return Ticket.<Ticket>list("id in ?1", ids)
                  .map(
                      found -> {
                        Map<UUID, Ticket> byId =
                            found.stream()
                                .collect(
                                    Collectors.toMap(
                                        t -> t.id,
                                        Function.identity(),
                                        (a, b) -> a,
                                        LinkedHashMap::new));
                        return new Page(ids.stream().map(byId::get).toList(), next);
                      });
            });
  }

  private static String encode(Sort sort, String key, UUID id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((sort.name + "|" + key + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String cursor, Sort sort) {
    String[] parts;
    try {
      parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
      if (parts.length == 3) {
        UUID.fromString(parts[2]);
      }
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField("cursor", "is not a cursor this API returned");
    }
    if (parts.length != 3 || !parts[0].equals(sort.name) || !sort.validKey(parts[1])) {
      throw ProblemException.invalidField(
          "cursor", "was made for another sort; start again without a cursor");
    }
    return parts;
  }
}
