package com.securebase.forecasting.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.securebase.forecasting.domain.Backtest;
import com.securebase.forecasting.domain.Budget;
import com.securebase.forecasting.domain.CostForecast;
import com.securebase.forecasting.domain.ForecastEngine;
import com.securebase.forecasting.domain.Granularity;
import com.securebase.forecasting.domain.ModelKind;
import com.securebase.forecasting.domain.Recommendations;
import com.securebase.forecasting.domain.Trend;
import com.securebase.forecasting.persistence.AnomalyStore.AnomalyRow;
import com.securebase.forecasting.persistence.BudgetStore.AlertRow;
import com.securebase.forecasting.persistence.BudgetStore.BudgetRow;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the forecasting API. Amounts are strings with two decimals. */
public final class ForecastRequests {
  private ForecastRequests() {}

  public record ForecastRequest(
      @NotNull
          @Schema(description = "Months ahead: 3, 6, 12 or 24, up to the tier's forecast horizon")
          Integer horizon,
      @Schema(description = "month (default) or day") Granularity granularity,
      @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code such as USD")
          @Schema(description = "Needed only when the history holds costs in several currencies")
          String currency) {}

  public record ImportResult(
      int records, int inserted, int replaced, int unchanged, List<String> services) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Part of ForecastView's stored JSON.
  @RegisterForReflection
  public record BoundsView(String lower, String upper) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Part of ForecastView's stored JSON.
  @RegisterForReflection
  public record PeriodView(
      String periodStart, String mean, Map<String, BoundsView> bounds, String changePercent) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Part of ForecastView's stored JSON.
  @RegisterForReflection
  public record AccuracyView(
      @Schema(description = "Mean absolute percentage error of the backtest, over non-zero actuals")
          Double mape,
      @Schema(description = "Mean absolute scaled error against the in-sample seasonal naive")
          Double mase,
      int origins,
      String benchmark,
      Map<String, Double> maseByModel) {
    static AccuracyView of(Backtest b) {
      Map<String, Double> byModel = new LinkedHashMap<>();
      b.maseByModel().forEach((k, v) -> byModel.put(k.id(), finite(v)));
      return new AccuracyView(
          finite(b.mape()), finite(b.mase()), b.origins(), ModelKind.SEASONAL_NAIVE.id(), byModel);
    }
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Part of ForecastView's stored JSON.
  @RegisterForReflection
  public record TrendView(
      String label, String test, Double z, Double pValue, String slopePerPeriod) {
    static TrendView of(Trend t) {
      return new TrendView(
          t.label(),
          t.test(),
          finite(t.z()),
          finite(t.pValue()),
          Double.isFinite(t.slopePerPeriod())
              ? BigDecimal.valueOf(t.slopePerPeriod())
                  .setScale(2, java.math.RoundingMode.HALF_EVEN)
                  .toPlainString()
              : null);
    }
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Part of ForecastView's stored JSON.
  @RegisterForReflection
  public record LineView(
      String service,
      String model,
      AccuracyView backtest,
      TrendView trend,
      String lastActual,
      List<PeriodView> periods) {
    static LineView of(CostForecast.Line l) {
      return new LineView(
          l.service(),
          l.model().id(),
          AccuracyView.of(l.backtest()),
          TrendView.of(l.trend()),
          l.lastActual().toPlainString(),
          l.periods().stream()
              .map(
                  p -> {
                    Map<String, BoundsView> bounds = new LinkedHashMap<>();
                    p.bounds()
                        .forEach(
                            (level, b) ->
                                bounds.put(
                                    String.valueOf(level),
                                    new BoundsView(
                                        b.lower().toPlainString(), b.upper().toPlainString())));
                    return new PeriodView(
                        p.start().toString(),
                        p.mean().toPlainString(),
                        bounds,
                        p.changePercent() == null ? null : p.changePercent().toPlainString());
                  })
              .toList());
    }
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Written to and read from forecast.body with an ObjectMapper (ForecastResource).
  @RegisterForReflection
  public record ForecastView(
      UUID id,
      Instant createdAt,
      String granularity,
      int horizonMonths,
      String currency,
      String historyStart,
      String historyEnd,
      int historyPeriods,
      @Schema(description = "The total's actual cost per period, as the forecast read it")
          List<ActualView> history,
      List<Integer> levels,
      @Schema(description = "bottom_up: the total's mean is the sum of the services' means")
          String reconciliation,
      LineView total,
      List<LineView> services) {
    static ForecastView of(UUID id, Instant createdAt, CostForecast.Result r) {
      return new ForecastView(
          id,
          createdAt,
          r.granularity().code(),
          r.horizonMonths(),
          r.currency(),
          r.historyStart().toString(),
          r.historyEnd().toString(),
          r.historyPeriods(),
          actuals(r.history()),
          java.util.Arrays.stream(ForecastEngine.LEVELS).boxed().toList(),
          CostForecast.RECONCILIATION,
          LineView.of(r.total()),
          r.services().stream().map(LineView::of).toList());
    }
  }

  // Part of ForecastView's stored JSON.
  @RegisterForReflection
  public record ActualView(String periodStart, String amount) {}

  private static List<ActualView> actuals(com.securebase.forecasting.domain.CostSeries s) {
    List<ActualView> out = new java.util.ArrayList<>(s.values().length);
    for (int i = 0; i < s.values().length; i++) {
      out.add(
          new ActualView(
              s.periodStart(i).toString(), CostForecast.money(s.values()[i]).toPlainString()));
    }
    return out;
  }

  public record ForecastSummary(
      UUID id,
      Instant createdAt,
      String createdBy,
      String granularity,
      int horizonMonths,
      String currency) {}

  public record ForecastPage(List<ForecastSummary> items, String nextCursor) {}

  public record BudgetRequest(
      @NotNull @Size(min = 1, max = 200) String name,
      @Size(min = 1, max = 64) String service,
      @NotNull @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code such as USD")
          String currency,
      @NotNull @DecimalMin(value = "0.01") @Digits(integer = 16, fraction = 2) BigDecimal amount,
      @Size(min = 1, max = 10) List<@NotNull @Min(1) @Max(1000) Integer> thresholds) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Nested in BudgetView.
  @RegisterForReflection
  public record AlertView(
      String periodStart, int threshold, String basis, String spend, Instant reachedAt) {
    static AlertView of(AlertRow a) {
      return new AlertView(
          a.periodStart().toString(),
          a.threshold(),
          a.basis(),
          a.spend().toPlainString(),
          a.reachedAt());
    }
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Response.created entity of BudgetResource.create.
  @RegisterForReflection
  public record BudgetView(
      UUID id,
      String name,
      String service,
      String currency,
      String amount,
      String period,
      List<Integer> thresholds,
      @Schema(description = "This month's status (present on a single budget's read)")
          BudgetStatus current,
      List<AlertView> alerts,
      Instant createdAt,
      Instant updatedAt,
      int version) {
    static BudgetView of(BudgetRow r, BudgetStatus current, List<AlertRow> alerts) {
      Budget b = r.budget();
      return new BudgetView(
          b.id(),
          b.name(),
          b.service(),
          b.currency(),
          b.amount().toPlainString(),
          "month",
          b.thresholds(),
          current,
          alerts == null ? null : alerts.stream().map(AlertView::of).toList(),
          r.createdAt(),
          r.updatedAt(),
          r.version());
    }
  }

  // Nested in BudgetView.
  @RegisterForReflection
  public record BudgetStatus(
      String periodStart,
      String actualSpend,
      String forecastSpend,
      double actualPercent,
      double forecastPercent) {}

  public record BudgetList(List<BudgetView> items) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record AnomalyView(
      UUID id,
      String service,
      String granularity,
      String periodStart,
      String currency,
      String actualCost,
      String expectedCost,
      String lowerBound,
      String upperBound,
      String direction,
      double score,
      String method,
      Instant detectedAt) {
    static AnomalyView of(AnomalyRow a) {
      return new AnomalyView(
          a.id(),
          a.service(),
          a.granularity().code(),
          a.periodStart().toString(),
          a.currency(),
          a.actual().toPlainString(),
          a.expected().toPlainString(),
          a.lower().toPlainString(),
          a.upper().toPlainString(),
          a.actual().compareTo(a.expected()) > 0 ? "above" : "below",
          a.score(),
          "mad",
          a.detectedAt());
    }
  }

  public record AnomalyPage(List<AnomalyView> items, String nextCursor) {}

  public record RecommendationList(List<Recommendations.Finding> items) {}

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
