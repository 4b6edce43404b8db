package com.securebase.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.gateway.persistence.AuditEntries;
import com.securebase.gateway.persistence.AuditEntry;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The tenant's audit log (owners and admins; platform admins read platform entries with their
 * platform token): search newest first with a cursor, and verify the hash chain.
 */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, TenantResource.PLATFORM_ADMIN})
public class AuditResource {
  @Inject CurrentCaller caller;
  @Inject TenantTransactions tx;
  @Inject AuditEntries entries;

  public record Entry(
      long seq,
      String eventId,
      String source,
      OffsetDateTime occurredAt,
      OffsetDateTime recordedAt,
      Actor actor,
      String action,
      Resource resource,
      String outcome,
      String sourceIp,
      JsonNode details,
      String hash) {
    static Entry of(AuditEntry e) {
      try {
        return new Entry(
            e.seq,
            e.eventId,
            e.source,
            e.occurredAt,
            e.recordedAt,
            new Actor(e.actorType, e.actorId, e.actorEmail),
            e.action,
            new Resource(e.resourceType, e.resourceId),
            e.outcome,
            e.sourceIp,
            e.details == null ? null : EventJson.MAPPER.readTree(e.details),
            HexFormat.of().formatHex(e.hash));
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException("Stored audit details are not JSON", ex);
      }
    }
  }

  public record Actor(String type, String id, String email) {}

  public record Resource(String type, String id) {}

  /** A page of entries; pass {@code nextCursor} as {@code cursor} for the next one. */
  public record Page(List<Entry> items, String nextCursor) {}

  public record Verification(
      boolean intact, long entries, Long headSeq, String headHash, Broken firstBroken) {}

  public record Broken(long seq, String reason) {}

  @GET
  public Uni<Page> search(
      @QueryParam("actor") @Size(max = 128) String actor,
      @QueryParam("action") @Size(max = 128) String action,
      @QueryParam("resourceType") @Size(max = 64) String resourceType,
      @QueryParam("resourceId") @Size(max = 128) String resourceId,
      @QueryParam("outcome")
          @Pattern(regexp = "success|failure", message = "must be success or failure")
          String outcome,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") @Pattern(regexp = "\\d{1,18}", message = "is not a valid cursor")
          String cursor,
      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
    UUID tenant = caller.tenantId();
    AuditEntries.Filter filter =
        new AuditEntries.Filter(
            actor,
            action,
            resourceType,
            resourceId,
            outcome,
            time("from", from),
            time("to", to),
            cursor == null ? null : Long.parseLong(cursor),
            limit);
    return tx.inTenant(tenant, s -> entries.search(tenant, filter))
        .map(
            found ->
                new Page(
                    found.stream().map(Entry::of).toList(),
                    found.size() < limit ? null : Long.toString(found.get(found.size() - 1).seq)));
  }

  /** Recomputes the chain: {@code intact} false names the first edited or unlinked entry. */
  @GET
  @Path("/verify")
  public Uni<Verification> verify() {
    UUID tenant = caller.tenantId();
    return tx.inTenant(tenant, s -> entries.verify(s, tenant))
        .map(
            v ->
                new Verification(
                    v.brokenSeq() == null,
                    v.entries(),
                    v.headSeq(),
                    v.headHash(),
                    v.brokenSeq() == null ? null : new Broken(v.brokenSeq(), v.reason())));
  }

  private static OffsetDateTime time(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField(name, "must be an RFC 3339 date-time with offset");
    }
  }
}
