package com.securebase.support.persistence;

import com.securebase.problem.KeysetCursor;
import com.securebase.problem.ProblemException;
import com.securebase.support.domain.Priority;
import com.securebase.support.domain.TicketStatus;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Ticket lists: filters, Postgres full-text search, sorts and keyset (cursor) pagination. A {@link
 * KeysetCursor} carries the sort it was made for, the last row's sort key and its id, so pages
 * never skip or repeat a row while tickets are added.
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
      return type.equals("timestamp") ? KeysetCursor.epochMicrosSql(orderSql) : orderSql;
    }

    /** The SQL value a page continues after, from the cursor's {@code :afterKey}. */
    String bound() {
      return type.equals("timestamp")
          ? KeysetCursor.fromEpochMicrosSql(":afterKey")
          : "cast(:afterKey as " + type + ")";
    }

    /**
     * The cursor's key as the typed parameter the database expects; a tampered key is a 400, not a
     * cast error in the database.
     */
    Object keyValue(KeysetCursor cursor) {
      return switch (type) {
        case "timestamp" -> cursor.micros(0);
        case "integer" -> cursor.integer(0);
        default -> cursor.real(0);
      };
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
    // Internal notes are the vector's weight D: what a requester searches leaves them out. The
    // plain match below comes first so the GIN index finds the candidates.
    String vector = query.includeInternal() ? "t.search" : "ts_filter(t.search, '{a,b,c}')";
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
      sql.append(" and t.search @@ websearch_to_tsquery('english', :q)");
      if (!query.includeInternal()) {
        sql.append(" and ").append(vector).append(" @@ websearch_to_tsquery('english', :q)");
      }
      params.put("q", query.q());
    }
    if (query.cursor() != null) {
      KeysetCursor after = KeysetCursor.decode(query.cursor(), query.sort().name, 1);
      sql.append(" and (")
          .append(order)
          .append(", t.id) ")
          .append(query.sort().descending ? "<" : ">")
          .append(" (")
          .append(query.sort().bound())
          .append(", cast(:afterId as uuid))");
      params.put("afterKey", query.sort().keyValue(after));
      params.put("afterId", after.id());
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
              KeysetCursor.IdPage page =
                  KeysetCursor.idPage(query.sort().name, rows, query.limit());
              if (page.ids().isEmpty()) {
                return Uni.createFrom().item(new Page(List.of(), null));
              }
              return Ticket.<Ticket>list("id in ?1", page.ids())
                  .map(found -> new Page(page.inOrder(found, t -> t.id), page.nextCursor()));
            });
  }
}
