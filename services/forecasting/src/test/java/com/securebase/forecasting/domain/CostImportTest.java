package com.securebase.forecasting.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.problem.ProblemException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostImportTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 2);

  private static Map<String, Object> row(String date, String service, Object amount) {
    Map<String, Object> r = new HashMap<>();
    r.put("date", date);
    r.put("service", service);
    r.put("amount", amount);
    r.put("currency", "USD");
    return r;
  }

  @Test
  void costExplorerNamesMapToServiceCodesAndAmountsRoundHalfEvenToCents() {
    List<CostPoint> points =
        CostImport.points(
            List.of(
                row("2026-11-01", "Amazon Elastic Compute Cloud - Compute", "10.125"),
                row("2026-11", "amazon simple storage service", new BigDecimal("10.135")),
                row("2026-10-01", "rds", "0.004999")),
            Granularity.MONTH,
            TODAY);
    assertThat(points).extracting(CostPoint::service).containsExactly("EC2", "S3", "RDS");
    assertThat(points)
        .extracting(p -> p.amount().toPlainString())
        .containsExactly("10.12", "10.14", "0.00");
    assertThat(points.get(1).periodStart()).isEqualTo(LocalDate.of(2026, 11, 1));
  }

  @Test
  void aRowMayNameItsOwnGranularity() {
    Map<String, Object> daily = row("2026-11-15", "EC2", "1");
    daily.put("granularity", "day");
    assertThat(CostImport.points(List.of(daily), Granularity.MONTH, TODAY).getFirst().granularity())
        .isEqualTo(Granularity.DAY);
  }

  @Test
  void theSameServiceAndDayTwiceIsRefusedButDayAndMonthRowsMayMeet() {
    Map<String, Object> month = row("2026-11-01", "EC2", "1");
    month.put("granularity", "month");
    assertThat(
            CostImport.points(
                List.of(row("2026-11-01", "EC2", "1"), month), Granularity.DAY, TODAY))
        .hasSize(2);
    assertThatThrownBy(
            () ->
                CostImport.points(
                    List.of(row("2026-11-01", "EC2", "1"), row("2026-11-01", "Amazon EC2", "2")),
                    Granularity.DAY,
                    TODAY))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(422);
              assertThat(e.problem().detail()).contains("row 2 date repeats row 1");
            });
  }

  @Test
  void emptyNanNegativeFutureAndUnknownAreRefused() {
    assertThatThrownBy(() -> CostImport.points(List.of(), Granularity.DAY, TODAY))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
    for (Map<String, Object> bad :
        List.of(
            row("2026-11-01", "EC2", "NaN"),
            row("2026-11-01", "EC2", "Infinity"),
            row("2026-11-01", "EC2", "-0.01"),
            row("2026-11-01", "EC2", null),
            row("2026-12-03", "EC2", "1"),
            row("1999-12-31", "EC2", "1"),
            row("11/01/2026", "EC2", "1"),
            row("2026-11-01", "Azure VM", "1"),
            row("2026-11-01", null, "1"),
            row("2026-11-01", "EC2", "1e30"))) {
      assertThatThrownBy(() -> CostImport.points(List.of(bad), Granularity.DAY, TODAY))
          .as(bad.toString())
          .isInstanceOfSatisfying(
              ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(422));
    }
    assertThat(CostImport.points(List.of(row("2026-12-02", "EC2", 0)), Granularity.DAY, TODAY))
        .hasSize(1);
  }
}
