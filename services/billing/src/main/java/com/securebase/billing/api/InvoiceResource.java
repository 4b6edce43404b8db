package com.securebase.billing.api;

import com.securebase.billing.api.BillingRequests.CreditNoteView;
import com.securebase.billing.api.BillingRequests.CreditRequest;
import com.securebase.billing.api.BillingRequests.InvoicePage;
import com.securebase.billing.api.BillingRequests.InvoiceView;
import com.securebase.billing.api.BillingRequests.LineCredit;
import com.securebase.billing.api.BillingRequests.RunRequest;
import com.securebase.billing.domain.BillingPeriod;
import com.securebase.billing.domain.InvoiceRun;
import com.securebase.billing.domain.InvoiceStatus;
import com.securebase.billing.domain.Invoices;
import com.securebase.billing.domain.Money;
import com.securebase.billing.persistence.InvoiceStore;
import com.securebase.billing.persistence.InvoiceStore.InvoiceRow;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.KeysetCursor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The tenant's invoices (owners, admins and billing users). Another tenant's invoice, like an
 * unknown one, is a 404. Documents (PDF, CSV) are rendered on a worker thread.
 */
@Path("/v1/invoices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING})
public class InvoiceResource {
  private static final String SORT = "-period";

  @Inject CurrentCaller caller;
  @Inject Invoices invoices;
  @Inject InvoiceRun run;
  @Inject TenantConnections connections;
  @Inject BrandLogos logos;
  @Inject Clock clock;

  @GET
  @Operation(
      summary = "List invoices",
      description = "Newest period first; filters status and period range (from, to: YYYY-MM).")
  public Uni<InvoicePage> list(
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") @Size(max = 400) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    InvoiceStatus wanted = RequestParams.oneOf("status", status, InvoiceStatus.class);
    Instant fromStart = month("from", from, false);
    Instant toEnd = month("to", to, true);
    KeysetCursor after = cursor == null ? null : KeysetCursor.decode(cursor, SORT, 1);
    UUID tenant = caller.tenantId();
    return connections
        .inTenant(
            tenant,
            sql ->
                InvoiceStore.page(
                    sql,
                    tenant,
                    wanted == null ? null : wanted.code(),
                    fromStart,
                    toEnd,
                    after == null ? null : after.instant(0),
                    after == null ? null : after.id(),
                    limit))
        .map(
            rows -> {
              KeysetCursor.Page<InvoiceRow> page = KeysetCursor.page(rows, limit);
              InvoiceRow last = page.more() ? page.rows().getLast() : null;
              return new InvoicePage(
                  page.rows().stream().map(i -> InvoiceView.of(i, null, null)).toList(),
                  last == null
                      ? null
                      : KeysetCursor.of(SORT, last.id(), last.periodStart()).encode());
            });
  }

  @POST
  @Path("/runs")
  @Operation(
      summary = "Invoice one ended period now",
      description =
          "Creates the caller's draft invoice for an ended period (YYYY-MM), or answers the one"
              + " that exists (200). Safe to repeat and to race: one invoice per period.")
  public Uni<Response> runNow(@NotNull @Valid RunRequest body) {
    BillingPeriod period = BillingPeriod.of(body.period());
    if (period.end().isAfter(clock.instant())) {
      throw new ProblemException(
          422,
          "period-not-ended",
          "Period not ended",
          body.period() + " ends at " + period.end() + "; only ended periods are invoiced");
    }
    UUID tenant = caller.tenantId();
    return run.forTenant(tenant, period)
        .chain(
            outcome ->
                invoices
                    .get(tenant, outcome.invoiceId())
                    .map(
                        d ->
                            (outcome.created()
                                    ? Response.created(
                                        URI.create("/v1/invoices/" + d.invoice().id()))
                                    : Response.ok())
                                .entity(InvoiceView.of(d))
                                .build()));
  }

  @GET
  @Path("/{id}")
  public Uni<InvoiceView> get(@PathParam("id") UUID id) {
    return invoices.get(caller.tenantId(), id).map(InvoiceView::of);
  }

  @POST
  @Path("/{id}/finalize")
  @Consumes(MediaType.WILDCARD) // no body: a client need not claim one
  @Operation(
      summary = "Finalize a draft",
      description =
          "Recomputes the draft from the usage recorded by now, closes its period to further"
              + " usage and freezes it; corrections afterwards are credit notes.")
  public Uni<InvoiceView> finalizeDraft(@PathParam("id") UUID id) {
    Caller who = caller.get();
    return invoices.finalize(who.tenantId(), Actor.of(who), id).map(InvoiceView::of);
  }

  @POST
  @Path("/{id}/pay")
  @Consumes(MediaType.WILDCARD) // no body: a client need not claim one
  public Uni<InvoiceView> pay(@PathParam("id") UUID id) {
    return invoices.markPaid(caller.get(), id).map(InvoiceView::of);
  }

  @POST
  @Path("/{id}/void")
  @Consumes(MediaType.WILDCARD) // no body: a client need not claim one
  public Uni<InvoiceView> voidInvoice(@PathParam("id") UUID id) {
    return invoices.voidInvoice(caller.get(), id).map(InvoiceView::of);
  }

  @POST
  @Path("/{id}/credit-notes")
  @Operation(
      summary = "Credit a finalized or paid invoice",
      description =
          "Either {reason, full: true} for whatever is left, or {reason, lines: [{lineId,"
              + " amount}]}; a line cannot be credited beyond its amount.")
  public Uni<Response> credit(@PathParam("id") UUID id, @NotNull @Valid CreditRequest body) {
    boolean full = Boolean.TRUE.equals(body.full());
    if (full == (body.lines() != null)) {
      throw ProblemException.invalidField("lines", "give either full: true or lines, not both");
    }
    Map<UUID, BigDecimal> lines = new LinkedHashMap<>();
    if (body.lines() != null) {
      for (LineCredit l : body.lines()) {
        if (lines.put(l.lineId(), l.amount()) != null) {
          throw ProblemException.invalidField("lines", "names line " + l.lineId() + " twice");
        }
      }
    }
    return invoices
        .credit(caller.get(), id, new Invoices.Credit(body.reason(), full, lines))
        .map(
            note ->
                Response.created(
                        URI.create("/v1/invoices/" + id + "/credit-notes/" + note.id() + "/pdf"))
                    .entity(CreditNoteView.of(note))
                    .build());
  }

  @GET
  @Path("/{id}/pdf")
  @Produces("application/pdf")
  public Uni<Response> pdf(@PathParam("id") UUID id) {
    return invoices
        .billed(caller.tenantId(), id)
        .emitOn(Infrastructure.getDefaultWorkerPool()) // OpenPDF and the logo fetch block
        .map(
            b ->
                document(
                    InvoiceDocument.invoice(
                        b.account(),
                        logos.logo(b.account().logoUrl()),
                        b.detail().invoice(),
                        b.detail().lines()),
                    b.detail().invoice().number()));
  }

  @GET
  @Path("/{id}/credit-notes/{note}/pdf")
  @Produces("application/pdf")
  public Uni<Response> creditNotePdf(@PathParam("id") UUID id, @PathParam("note") UUID note) {
    return invoices
        .billed(caller.tenantId(), id)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            b -> {
              var found =
                  b.detail().creditNotes().stream()
                      .filter(c -> c.id().equals(note))
                      .findFirst()
                      .orElseThrow(() -> new NotFoundProblem("Credit note", note));
              return document(
                  InvoiceDocument.creditNote(
                      b.account(), logos.logo(b.account().logoUrl()), b.detail().invoice(), found),
                  found.number());
            });
  }

  @GET
  @Path("/{id}/lines.csv")
  @Produces("text/csv")
  public Uni<Response> csv(@PathParam("id") UUID id) {
    return invoices
        .get(caller.tenantId(), id)
        .map(
            d -> {
              StringBuilder csv =
                  new StringBuilder(
                      "invoice_number,position,kind,description,metric_code,charge_model,quantity,amount,currency\r\n");
              for (var l : d.lines()) {
                csv.append(field(d.invoice().number()))
                    .append(',')
                    .append(l.position())
                    .append(',')
                    .append(field(l.kind()))
                    .append(',')
                    .append(field(l.description()))
                    .append(',')
                    .append(field(l.metricCode()))
                    .append(',')
                    .append(field(l.chargeModel()))
                    .append(',')
                    .append(l.quantity() == null ? "" : Money.quantityText(l.quantity()))
                    .append(',')
                    .append(Money.text(l.amount()))
                    .append(',')
                    .append(d.invoice().currency())
                    .append("\r\n");
              }
              return Response.ok(csv.toString(), "text/csv; charset=utf-8")
                  .header(
                      "Content-Disposition",
                      "attachment; filename=\"" + d.invoice().number() + "-lines.csv\"")
                  .build();
            });
  }

  private static Response document(byte[] pdf, String number) {
    return Response.ok(pdf, "application/pdf")
        .header("Content-Disposition", "inline; filename=\"" + number + ".pdf\"")
        .build();
  }

  /** RFC 4180: quoted when it holds a comma, quote or line break; a formula lead is defused. */
  private static String field(String value) {
    if (value == null) {
      return "";
    }
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    return v.matches(".*[,\"\\r\\n].*") || !v.equals(value)
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
  }

  private static Instant month(String field, String value, boolean end) {
    if (value == null) {
      return null;
    }
    try {
      YearMonth m = YearMonth.parse(value);
      BillingPeriod p = new BillingPeriod(m);
      return end ? p.end() : p.start();
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField(field, "must be YYYY-MM");
    }
  }
}
