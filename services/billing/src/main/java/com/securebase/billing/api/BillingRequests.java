package com.securebase.billing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.securebase.billing.domain.Invoices;
import com.securebase.billing.domain.Money;
import com.securebase.billing.domain.UsageIntake;
import com.securebase.billing.domain.UsageMeter;
import com.securebase.billing.persistence.InvoiceStore.CreditNoteRow;
import com.securebase.billing.persistence.InvoiceStore.InvoiceRow;
import com.securebase.billing.persistence.InvoiceStore.LineRow;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the billing API. Amounts are strings with two decimals. */
public final class BillingRequests {
  private BillingRequests() {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  // In IngestResult and in the usage-rejected problem's extensions.
  @RegisterForReflection
  public record RecordResult(int index, String transactionId, String status, RecordError error) {
    static RecordResult of(UsageIntake.Result r) {
      return new RecordResult(
          r.index(),
          r.transactionId(),
          r.outcome().code(),
          r.rejection() == null
              ? null
              : new RecordError(
                  r.rejection().status(),
                  r.rejection().type(),
                  r.rejection().field(),
                  r.rejection().detail()));
    }
  }

  // Nested in RecordResult.
  @RegisterForReflection
  public record RecordError(int status, String type, String field, String detail) {}

  // Response.ok entity of UsageResource.ingest.
  @RegisterForReflection
  public record IngestResult(
      int accepted, int duplicates, int rejected, List<RecordResult> results) {}

  public record RunRequest(
      @NotNull @Pattern(regexp = "^[0-9]{4}-(0[1-9]|1[0-2])$", message = "must be YYYY-MM")
          String period) {}

  public record LineCredit(
      @NotNull UUID lineId,
      @NotNull @DecimalMin(value = "0.01") @Digits(integer = 16, fraction = 2) BigDecimal amount) {}

  public record CreditRequest(
      @NotNull @Size(min = 1, max = 500) String reason,
      Boolean full,
      @Size(min = 1, max = 500) List<@Valid @NotNull LineCredit> lines) {}

  public record ThresholdRequest(
      @NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{1,63}$") String metricCode,
      @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 18, fraction = 6)
          BigDecimal threshold) {}

  // Response.created entity of MetricResource.addThreshold.
  @RegisterForReflection
  public record ThresholdView(UUID id, String metricCode, String threshold, Instant createdAt) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Nested in InvoiceView.
  @RegisterForReflection
  public record LineView(
      UUID id,
      int position,
      String kind,
      String description,
      String metricCode,
      String chargeModel,
      String quantity,
      String amount) {
    static LineView of(LineRow l) {
      return new LineView(
          l.id(),
          l.position(),
          l.kind(),
          l.description(),
          l.metricCode(),
          l.chargeModel(),
          l.quantity() == null ? null : Money.quantityText(l.quantity()),
          Money.text(l.amount()));
    }
  }

  // Response.created entity of InvoiceResource.credit; nested in InvoiceView.
  @RegisterForReflection
  public record CreditNoteView(
      UUID id,
      UUID invoiceId,
      String number,
      String reason,
      String subtotal,
      String discount,
      String tax,
      String total,
      Instant createdAt) {
    static CreditNoteView of(CreditNoteRow c) {
      return new CreditNoteView(
          c.id(),
          c.invoiceId(),
          c.number(),
          c.reason(),
          Money.text(c.subtotal()),
          Money.text(c.discount()),
          Money.text(c.tax()),
          Money.text(c.total()),
          c.createdAt());
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  // Response entity of InvoiceResource.runNow.
  @RegisterForReflection
  public record InvoiceView(
      UUID id,
      String number,
      String status,
      String tier,
      Instant periodStart,
      Instant periodEnd,
      String currency,
      String subtotal,
      String discount,
      String taxRate,
      String tax,
      String total,
      String credited,
      Instant createdAt,
      Instant finalizedAt,
      Instant paidAt,
      Instant voidedAt,
      Instant updatedAt,
      int version,
      List<LineView> lines,
      List<CreditNoteView> creditNotes) {
    static InvoiceView of(Invoices.Detail d) {
      return of(d.invoice(), d.lines(), d.creditNotes());
    }

    static InvoiceView of(InvoiceRow i, List<LineRow> lines, List<CreditNoteRow> notes) {
      return new InvoiceView(
          i.id(),
          i.number(),
          i.status(),
          i.tier(),
          i.periodStart(),
          i.periodEnd(),
          i.currency(),
          Money.text(i.subtotal()),
          Money.text(i.discount()),
          i.taxRate().stripTrailingZeros().toPlainString(),
          Money.text(i.tax()),
          Money.text(i.total()),
          Money.text(i.credited()),
          i.createdAt(),
          i.finalizedAt(),
          i.paidAt(),
          i.voidedAt(),
          i.updatedAt(),
          i.version(),
          lines == null ? null : lines.stream().map(LineView::of).toList(),
          notes == null ? null : notes.stream().map(CreditNoteView::of).toList());
    }
  }

  public record InvoicePage(List<InvoiceView> items, String nextCursor) {}

  public record MetricView(
      String code,
      String name,
      String aggregation,
      String unit,
      String chargeModel,
      String quantity,
      String chargeSoFar,
      String projectedQuantity,
      String projectedCharge) {
    static MetricView of(UsageMeter.MetricUsage m) {
      return new MetricView(
          m.metric().code(),
          m.metric().name(),
          m.metric().aggregation().code(),
          m.metric().unit(),
          m.model().code(),
          Money.quantityText(m.quantity()),
          Money.text(m.chargeSoFar()),
          Money.quantityText(m.projectedQuantity()),
          Money.text(m.projectedCharge()));
    }
  }

  public record CurrentUsage(
      String period,
      Instant periodStart,
      Instant periodEnd,
      String tier,
      String currency,
      String baseFee,
      List<MetricView> metrics,
      String totalSoFar,
      String projectedTotal) {
    static CurrentUsage of(UsageMeter.Current c) {
      return new CurrentUsage(
          c.period().toString(),
          c.period().start(),
          c.period().end(),
          c.tier(),
          c.currency(),
          Money.text(c.baseFee()),
          c.metrics().stream().map(MetricView::of).toList(),
          Money.text(c.totalSoFar()),
          Money.text(c.projectedTotal()));
    }
  }
}
