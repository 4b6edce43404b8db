package com.securebase.forecasting.domain;

import com.securebase.problem.ProblemException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates imported cloud costs (the rows of a JSON batch or of a cost-explorer CSV export: date,
 * service, amount, currency) into cost points. An import is all or nothing: a file imported half
 * would leave a history with holes that forecasts read as drops, so any bad row refuses the whole
 * import with every bad row named (up to {@value #MAX_ERRORS}). Amounts may carry more decimals
 * than cents (exports have up to ten) and are rounded half-even to cents.
 */
public final class CostImport {
  public static final int MAX_ROWS = 50_000;
  static final int MAX_ERRORS = 100;
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999999999.99");

  private CostImport() {}

  /** One bad value: the row (1-based, as a spreadsheet shows it), the field and why. */
  public record RowError(int row, String field, String detail) {}

  /**
   * @param rows each row's fields by name (date, service, amount, currency, and optionally
   *     granularity); {@code amount} a {@link BigDecimal} or a string
   * @param granularity the granularity of rows that do not name theirs
   * @param today rows after today are refused: a cost is what was spent
   * @throws ProblemException 422 {@code invalid-cost-records} listing the bad rows
   */
  public static List<CostPoint> points(
      List<Map<String, Object>> rows, Granularity granularity, LocalDate today) {
    if (rows.isEmpty()) {
      throw ProblemException.invalidField("records", "must hold at least one cost");
    }
    if (rows.size() > MAX_ROWS) {
      throw ProblemException.invalidField(
          "records", "has " + rows.size() + " rows; at most " + MAX_ROWS + " per import");
    }
    List<RowError> errors = new ArrayList<>();
    List<CostPoint> out = new ArrayList<>(rows.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      int row = i + 1;
      Map<String, Object> r = rows.get(i);
      int before = errors.size();
      Granularity g = granularity;
      Object gName = r.get("granularity");
      if (gName != null && !(gName instanceof String s && s.isBlank())) {
        try {
          g = Granularity.fromCode(String.valueOf(gName).strip());
        } catch (IllegalArgumentException e) {
          errors.add(new RowError(row, "granularity", "must be day or month"));
        }
      }
      LocalDate day = date(row, text(r.get("date")), g, today, errors);
      String service = service(row, text(r.get("service")), errors);
      BigDecimal amount = amount(row, r.get("amount"), errors);
      String currency = text(r.get("currency"));
      if (currency == null || !currency.matches("[A-Z]{3}")) {
        errors.add(new RowError(row, "currency", "must be an ISO 4217 code such as USD"));
      }
      if (errors.size() == before) {
        String key = service + '|' + g + '|' + day;
        Integer first = seen.putIfAbsent(key, row);
        if (first != null) {
          errors.add(
              new RowError(
                  row, "date", "repeats row " + first + " (" + service + ", " + day + ")"));
        } else {
          out.add(new CostPoint(service, g, day, currency, amount));
        }
      }
    }
    if (!errors.isEmpty()) {
      Map<String, Object> members = new LinkedHashMap<>();
      long invalidRows = errors.stream().mapToInt(RowError::row).distinct().count();
      members.put("invalidRows", invalidRows);
      members.put("errors", errors.subList(0, Math.min(MAX_ERRORS, errors.size())));
      RowError first = errors.getFirst();
      throw new ProblemException(
          422,
          "invalid-cost-records",
          "Cost records refused",
          invalidRows
              + " of "
              + rows.size()
              + " rows are invalid, nothing was imported; first: row "
              + first.row()
              + " "
              + first.field()
              + " "
              + first.detail(),
          members);
    }
    return out;
  }

  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    String s = String.valueOf(v).strip();
    return s.isEmpty() ? null : s;
  }

  private static LocalDate date(
      int row, String value, Granularity g, LocalDate today, List<RowError> errors) {
    if (value == null) {
      errors.add(new RowError(row, "date", "is required (YYYY-MM-DD)"));
      return null;
    }
    LocalDate day;
    try {
      day = value.length() == 7 ? YearMonth.parse(value).atDay(1) : LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(new RowError(row, "date", "'" + value + "' is not a date (YYYY-MM-DD)"));
      return null;
    }
    if (g == Granularity.MONTH && day.getDayOfMonth() != 1) {
      errors.add(new RowError(row, "date", "a monthly cost is dated the 1st of its month"));
      return null;
    }
    if (day.isAfter(today)) {
      errors.add(new RowError(row, "date", day + " is in the future"));
      return null;
    }
    if (day.getYear() < 2000) {
      errors.add(new RowError(row, "date", "is before 2000"));
      return null;
    }
    return day;
  }

  private static String service(int row, String value, List<RowError> errors) {
    if (value == null) {
      errors.add(new RowError(row, "service", "is required"));
      return null;
    }
    var code = CloudServices.code(value);
    if (code.isEmpty()) {
      errors.add(
          new RowError(
              row,
              "service",
              "'"
                  + value
                  + "' is not a known service; known: "
                  + String.join(", ", CloudServices.codes())));
      return null;
    }
    if (code.get().equals(CloudServices.SECUREBASE)) {
      errors.add(new RowError(row, "service", "SecureBase's own charges come from its invoices"));
      return null;
    }
    return code.get();
  }

  private static BigDecimal amount(int row, Object value, List<RowError> errors) {
    BigDecimal amount;
    if (value instanceof BigDecimal b) {
      amount = b;
    } else if (value instanceof String s && !s.isBlank()) {
      try {
        amount = new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        errors.add(new RowError(row, "amount", "'" + s + "' is not a decimal number"));
        return null;
      }
    } else if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
      amount = new BigDecimal(n.toString());
    } else {
      errors.add(new RowError(row, "amount", "is required, as a decimal number"));
      return null;
    }
    if (amount.signum() < 0) {
      errors.add(new RowError(row, "amount", "must not be negative (credits are not costs)"));
      return null;
    }
    amount = amount.setScale(2, RoundingMode.HALF_EVEN);
    if (amount.compareTo(MAX_AMOUNT) > 0) {
      errors.add(new RowError(row, "amount", "is too large"));
      return null;
    }
    return amount;
  }
}
