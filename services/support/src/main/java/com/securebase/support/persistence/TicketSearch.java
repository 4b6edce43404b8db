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
   * epoch microseconds, so a cursor never loses precision) and that key's SQL type. The cursor's
   * bound is compared with the ordering expression itself, never a function of the column, so the
   * (tenant_id, created_at, id) index starts each page where the last one ended.
   */
  public enum Sort {
    NEWEST("-createdAt", "t.created_at", true, "timestamp"),
    OLDEST("createdAt", "t.created_at", false, "timestamp"),
    RECENTLY_UPDATED("-updatedAt", "t.updated_at", true, "timestamp"),
    PRIORITY(
        "priority",
        "array_position(array['critical','high','medium','low'], t.priority)",
        false,
        "integer"),
    DUE("dueAt", "t.first_response_due_at", false, "timestamp"),
    RELEVANCE("relevance", "ts_rank(%s, websearch_to_tsquery('english', :q))", true, "real");

    private static final long MAX_EPOCH_MICROS = 9_000_000_000_000_000_000L; // year ~287,000

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

    /** The key a cursor stores, as text. */
    String cursorKey(String orderSql) {
      return type.equals("timestamp")
          ? "cast(extract(epoch from " + orderSql + ") * 1000000 as bigint)"
          : orderSql;
    }

    /** The SQL value a page continues after, from the cursor's {@code :afterKey}. */
    String bound() {
      return type.equals("timestamp")
          ? "(timestamptz 'epoch' + cast(:afterKey as bigint) * interval '1 microsecond')"
          : "cast(:afterKey as " + type + ")";
    }

    /** The cursor's key as the typed parameter the database expects. */
    Object keyValue(String key) {
      return switch (type) {
        case "timestamp" -> Long.parseLong(key);
        case "integer" -> Integer.parseInt(key);
        default -> Float.parseFloat(key);
      };
    }

    /** A tampered cursor must be a 400, not a cast error in the database. */
    boolean validKey(String key) {
      try {
        Object value = keyValue(key);
        return switch (value) {
          case Float f -> Float.isFinite(f);
          // Postgres timestamps end in 294276 AD; past that the bound would be a database error.
          case Long micros -> Math.abs(micros) < MAX_EPOCH_MICROS;
          default -> true;
        };
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

  /**
   * What the caller asked for; {@code requester} restricts to one requester's own tickets. The
   * tenant is named in the SQL as well as enforced by row-level security: the policy's predicate
   * cannot serve an index, this one lets the (tenant_id, …) indexes order and limit the page.
   */
  public record Query(
      UUID tenant,
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
            .append(" as text) from ticket t where t.tenant_id = :tenant");
    Map<String, Object> params = new HashMap<>();
    params.put("tenant", query.tenant());
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
          .append(order)
          .append(", t.id) ")
          .append(query.sort().descending ? "<" : ">")
          .append(" (")
          .append(query.sort().bound())
          .append(", cast(:afterId as uuid))");
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
