package com.securebase.problem;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A resource shaped like a real service's, to drive every mapper over HTTP. */
@Path("/samples")
@Produces(MediaType.APPLICATION_JSON)
public class SampleResource {

  public enum Priority {
    LOW,
    HIGH
  }

  public record CreateSample(
      @NotBlank @Size(max = 20) String name,
      @NotNull @Min(1) @Max(10) Integer count,
      @NotNull Priority priority,
      UUID ownerId,
      List<@NotBlank String> tags,
      java.time.OffsetDateTime dueAt) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<CreateSample> create(@NotNull @Valid CreateSample body) {
    return Uni.createFrom().item(body);
  }

  @GET
  public Uni<List<String>> list(
      @QueryParam("status") String status, @QueryParam("limit") Integer limit) {
    return Uni.createFrom().item(status == null ? List.of() : List.of(status));
  }

  @GET
  @Path("/{id}")
  public Uni<String> find(@PathParam("id") UUID id) {
    return Uni.createFrom().failure(new NotFoundProblem("Sample", id));
  }

  @POST
  @Path("/{id}/close")
  public Uni<String> close(@PathParam("id") UUID id) {
    return Uni.createFrom()
        .failure(
            new ConflictProblem(
                "illegal-transition",
                "Illegal transition",
                "closed -> open is not allowed",
                Map.of("from", "closed", "to", "open")));
  }

  @GET
  @Path("/boom")
  public String boom() {
    throw new IllegalStateException("database password is hunter2");
  }
}
