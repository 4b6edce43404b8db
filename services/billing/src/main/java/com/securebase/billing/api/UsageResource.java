package com.securebase.billing.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.securebase.billing.api.BillingRequests.IngestResult;
import com.securebase.billing.api.BillingRequests.RecordResult;
import com.securebase.billing.domain.UsageIntake;
import com.securebase.billing.domain.UsageRecord;
import com.securebase.events.EventJson;
import com.securebase.problem.JsonBody;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Usage ingestion: {@code {"records": [...]}}, at most {@value UsageIntake#MAX_BATCH} records, each
 * answered on its own (accepted, duplicate, or rejected with the reason). Quantities are read as
 * exact decimals, never through a double.
 */
@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING})
public class UsageResource {
  private static final ObjectReader READER =
      EventJson.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Inject CurrentCaller caller;
  @Inject UsageIntake intake;
  @Inject Clock clock;

  @POST
  @Operation(
      summary = "Record usage",
      description =
          "A batch of at most 500 records {transactionId, metricCode, quantity, timestamp,"
              + " properties}. Idempotent per tenant on transactionId: a repeat with the same"
              + " payload is a duplicate and ignored; a different payload under a recorded id is"
              + " refused (409). Unknown metrics, negative or non-numeric quantities, timestamps"
              + " more than 5 minutes ahead, and records of a period whose invoice is finalized"
              + " are refused (422) one by one. The answer is 200 with a result per record while"
              + " any record was accepted or a duplicate; when every record is refused it is a"
              + " problem (409 when all are id conflicts, else 422) carrying the same results.")
  public Uni<Response> ingest(byte[] body) {
    List<JsonNode> records = records(body);
    List<UsageRecord.Parsed> parsed = new ArrayList<>(records.size());
    var now = clock.instant();
    for (JsonNode r : records) {
      parsed.add(UsageRecord.parse(r, now));
    }
    return intake.ingest(caller.tenantId(), parsed).map(UsageResource::answer);
  }

  private static List<JsonNode> records(byte[] body) {
    JsonNode root =
        JsonBody.object(READER, body, "records", "must be given as {\"records\": [...]}");
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("records")) {
        throw ProblemException.invalidField(name, "is not a field of a usage batch");
      }
    }
    JsonNode list = root.get("records");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw ProblemException.invalidField("records", "must be a non-empty array");
    }
    if (list.size() > UsageIntake.MAX_BATCH) {
      throw ProblemException.invalidField(
          "records", "has " + list.size() + " records; at most " + UsageIntake.MAX_BATCH);
    }
    List<JsonNode> out = new ArrayList<>(list.size());
    list.forEach(out::add);
    return out;
  }

  private static Response answer(List<UsageIntake.Result> results) {
    int accepted = 0;
    int duplicates = 0;
    int rejected = 0;
    boolean allConflicts = true;
    for (UsageIntake.Result r : results) {
      switch (r.outcome()) {
        case ACCEPTED -> accepted++;
        case DUPLICATE -> duplicates++;
        case REJECTED -> {
          rejected++;
          allConflicts &= r.rejection().status() == 409;
        }
      }
    }
    List<RecordResult> views = results.stream().map(RecordResult::of).toList();
    if (accepted + duplicates > 0) {
      return Response.ok(new IngestResult(accepted, duplicates, rejected, views)).build();
    }
    UsageIntake.Result first = results.getFirst();
    String detail =
        results.size() == 1
            ? first.rejection().field() + " " + first.rejection().detail()
            : "All " + results.size() + " records were refused; see results";
    if (results.size() == 1 && first.rejection().status() == 409) {
      detail = first.rejection().detail();
    }
    throw new ProblemException(
        allConflicts ? 409 : 422,
        results.size() == 1 ? first.rejection().type() : "usage-rejected",
        allConflicts ? "Transaction id conflict" : "Usage refused",
        detail,
        Map.of("results", views));
  }
}
