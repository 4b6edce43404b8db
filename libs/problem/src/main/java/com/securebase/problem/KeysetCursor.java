package com.securebase.problem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cursor of a keyset page: the sort it was made for, the last row's sort keys and its id, as
 * opaque base64url text ({@code sort|key…|id}). A page continues strictly after that row in that
 * sort, so pages never skip or repeat a row while rows are added. A cursor that was tampered with,
 * or made for another sort, is a 400 naming {@code cursor}, never a database error.
 *
 * <p>Timestamps travel as epoch microseconds (Postgres's precision), so a cursor never loses a
 * digit; {@link #epochMicrosSql} and {@link #fromEpochMicrosSql} are the same conversion in SQL,
 * for lists that select the key and bind the bound in the database.
 */
public record KeysetCursor(String sort, List<String> keys, UUID id) {
  /** The longest cursor a list accepts (its {@code @Size} on the query parameter). */
  public static final int MAX_LENGTH = 400;

  // Postgres timestamps begin in 4713 BC and end in 294276 AD; outside, a bound would be a
  // database error (the upper limit also keeps the microseconds-to-interval product in range).
  private static final long MIN_EPOCH_MICROS = -210_866_803_200_000_000L;
  private static final long MAX_EPOCH_MICROS = 9_000_000_000_000_000_000L;

  public KeysetCursor {
    keys = List.copyOf(keys);
  }

  /**
   * A cursor after the row {@code id} whose sort keys are {@code keys} (Instant, OffsetDateTime,
   * Boolean, Number, or the key's text as the database selected it).
   */
  public static KeysetCursor of(String sort, UUID id, Object... keys) {
    List<String> text = new ArrayList<>(keys.length);
    for (Object k : keys) {
      text.add(
          switch (k) {
            case Instant t -> Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, t));
            case OffsetDateTime t ->
                Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant()));
            case null, default -> String.valueOf(k);
          });
    }
    return new KeysetCursor(sort, text, id);
  }

  public String encode() {
    StringBuilder raw = new StringBuilder(sort);
    for (String k : keys) {
      raw.append('|').append(k);
    }
    raw.append('|').append(id);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param keyCount how many keys the sort's cursors carry
   */
  public static KeysetCursor decode(String cursor, String sort, int keyCount) {
    String[] parts;
    UUID id;
    try {
      parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
              .split("\\|", keyCount + 2);
      if (parts.length != keyCount + 2) {
        throw new IllegalArgumentException("not a cursor");
      }
      id = UUID.fromString(parts[keyCount + 1]);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField("cursor", "is not a cursor this API returned");
    }
    if (!parts[0].equals(sort)) {
      throw madeForAnotherSort();
    }
    return new KeysetCursor(sort, Arrays.asList(parts).subList(1, keyCount + 1), id);
  }

  /** Key {@code i} as epoch microseconds within what Postgres can represent. */
  public long micros(int i) {
    try {
      long micros = Long.parseLong(keys.get(i));
      if (micros < MIN_EPOCH_MICROS || micros >= MAX_EPOCH_MICROS) {
        throw madeForAnotherSort();
      }
      return micros;
    } catch (NumberFormatException e) {
      throw madeForAnotherSort();
    }
  }

  public Instant instant(int i) {
    return Instant.EPOCH.plus(micros(i), ChronoUnit.MICROS);
  }

  public OffsetDateTime offsetDateTime(int i) {
    return instant(i).atOffset(ZoneOffset.UTC);
  }

  public boolean bool(int i) {
    return switch (keys.get(i)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw madeForAnotherSort();
    };
  }

  public int integer(int i) {
    try {
      return Integer.parseInt(keys.get(i));
    } catch (NumberFormatException e) {
      throw madeForAnotherSort();
    }
  }

  public float real(int i) {
    try {
      float f = Float.parseFloat(keys.get(i));
      if (!Float.isFinite(f)) {
        throw madeForAnotherSort();
      }
      return f;
    } catch (NumberFormatException e) {
      throw madeForAnotherSort();
    }
  }

  /** SQL for a timestamp expression's cursor key (epoch microseconds as bigint). */
  public static String epochMicrosSql(String timestampSql) {
    return "cast(extract(epoch from " + timestampSql + ") * 1000000 as bigint)";
  }

  /** SQL for the timestamp a bound parameter holding epoch microseconds stands for. */
  public static String fromEpochMicrosSql(String parameter) {
    return "(timestamptz 'epoch' + cast(" + parameter + " as bigint) * interval '1 microsecond')";
  }

  /**
   * The rows of a page fetched with {@code limit + 1}: at most {@code limit} of them, and whether
   * another page follows.
   */
  public static <T> Page<T> page(List<T> rows, int limit) {
    boolean more = rows.size() > limit;
    return new Page<>(more ? rows.subList(0, limit) : rows, more);
  }

  public record Page<T>(List<T> rows, boolean more) {
    /** The encoded cursor of the page after this one (its last row's), or null on the last page. */
    public String nextCursor(Function<? super T, KeysetCursor> cursorOf) {
      return more ? cursorOf.apply(rows.getLast()).encode() : null;
    }
  }

  /**
   * The page of a keyset query fetched with {@code limit + 1} whose rows are each row's id and then
   * its sort keys in the cursor's order (as a native query selects them), for lists that load the
   * page's entities by id afterwards.
   */
  public static IdPage idPage(String sort, List<Object[]> rows, int limit) {
    Page<Object[]> page = page(rows, limit);
    return new IdPage(
        page.rows().stream().map(r -> (UUID) r[0]).toList(),
        page.nextCursor(r -> of(sort, (UUID) r[0], Arrays.copyOfRange(r, 1, r.length))));
  }

  /** A page's ids in order, and the next page's cursor (null on the last page). */
  public record IdPage(List<UUID> ids, String nextCursor) {
    /** {@code found}, loaded by this page's ids in any order, in the page's order. */
    public <E> List<E> inOrder(Collection<E> found, Function<E, UUID> idOf) {
      Map<UUID, E> byId = found.stream().collect(Collectors.toMap(idOf, Function.identity()));
      return ids.stream().map(byId::get).toList();
    }
  }

  private static ProblemException madeForAnotherSort() {
    return ProblemException.invalidField(
        "cursor", "was made for another sort; start again without a cursor");
  }
}
