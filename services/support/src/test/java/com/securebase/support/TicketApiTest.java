package com.securebase.support;

import static com.securebase.support.SupportFixtures.TICKETS;
import static com.securebase.support.SupportFixtures.comment;
import static com.securebase.support.SupportFixtures.create;
import static com.securebase.support.SupportFixtures.patch;
import static com.securebase.support.SupportFixtures.person;
import static com.securebase.support.SupportFixtures.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.securebase.catalog.EventCatalog;
import com.securebase.events.EventEnvelope;
import com.securebase.support.SupportFixtures.Person;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tickets over the real Postgres and Kafka broker, through the HTTP API. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "support"))
class TicketApiTest {

  @Test
  void createReadUpdateAndEventsOnTheBroker() {
    UUID tenant = UUID.randomUUID();
    Person requester = person(tenant, "viewer");
    Person agent = person(tenant, "support");
    try (BrokerEvents broker =
        BrokerEvents.on("securebase.support.events", "securebase.audit.events")) {
      String id = create(requester, "Cannot export invoices", "high");
      given()
          .auth()
          .oauth2(requester.token())
          .get(TICKETS + "/" + id)
          .then()
          .statusCode(200)
          .header("ETag", "\"1\"")
          .body("status", equalTo("open"))
          .body("priority", equalTo("high"))
          .body("requesterId", equalTo(requester.id().toString()))
          .body("tags", equalTo(List.of("billing")))
          .body("sla.state", equalTo("pending"))
          .body("sla.targetMinutes", equalTo(240))
          .body("comments", hasSize(0));
      patch(
              agent,
              id,
              "{\"status\":\"in_progress\",\"assigneeId\":\"" + agent.id() + "\"}",
              "\"1\"")
          .statusCode(200)
          .header("ETag", "\"2\"")
          .body("status", equalTo("in_progress"))
          .body("assigneeId", equalTo(agent.id().toString()));
      String commentId =
          comment(agent, id, "Reproduced, fixing", "internal").statusCode(201).extract().path("id");

      List<EventEnvelope> events =
          broker.await(e -> id.equals(e.subject()), 4, Duration.ofSeconds(30));
      List<String> types = events.stream().map(EventEnvelope::type).toList();
      assertThat(types)
          .contains(
              "securebase.support.ticket.created",
              "securebase.support.ticket.updated",
              "securebase.support.ticket.commented",
              "securebase.support.audit.recorded");
      for (EventEnvelope e : events) {
        assertThat(EventCatalog.load().violations(e.type(), e.data())).isEmpty();
        assertThat(e.tenantId()).isEqualTo(tenant.toString());
      }
      EventEnvelope updated =
          events.stream()
              .filter(e -> e.type().endsWith("ticket.updated"))
              .findFirst()
              .orElseThrow();
      assertThat(updated.data().path("previousStatus").asText()).isEqualTo("open");
      assertThat(updated.data().path("version").asInt()).isEqualTo(2);
      EventEnvelope commented =
          events.stream()
              .filter(e -> e.type().endsWith("ticket.commented"))
              .findFirst()
              .orElseThrow();
      assertThat(commented.data().path("commentId").asText()).isEqualTo(commentId);
      assertThat(commented.data().path("authorId").asText()).isEqualTo(agent.id().toString());
      assertThat(commented.data().path("visibility").asText()).isEqualTo("internal");
      assertThat(commented.data().path("excerpt").asText()).isEqualTo("Reproduced, fixing");
      // The agent took the ticket before commenting: an internal note is no first response.
      assertThat(commented.data().path("firstResponse").asBoolean()).isFalse();
      assertThat(commented.data().path("status").asText()).isEqualTo("in_progress");
    }
  }

  @Test
  void everyLegalAndIllegalTransition() {
    UUID tenant = UUID.randomUUID();
    Person agent = person(tenant, "support");
    String[] states = {"open", "in_progress", "resolved", "closed"};
    List<String> legal =
        List.of("open>in_progress", "in_progress>resolved", "resolved>closed", "resolved>open");
    for (String from : states) {
      for (String to : states) {
        if (from.equals(to)) {
          continue;
        }
        String id = ticketIn(agent, from);
        var response = patch(agent, id, "{\"status\":\"" + to + "\"}", null);
        if (legal.contains(from + ">" + to)) {
          response.statusCode(200).body("status", equalTo(to));
        } else {
          problem(response, 409, "illegal-transition")
              .body("from", equalTo(from))
              .body("to", equalTo(to));
        }
      }
    }
  }

  /** A fresh ticket walked along the legal path to {@code state}. */
  private static String ticketIn(Person agent, String state) {
    String id = create(agent, "Walk to " + state, "low");
    for (String step : List.of("in_progress", "resolved", "closed")) {
      if (given()
          .auth()
          .oauth2(agent.token())
          .get(TICKETS + "/" + id)
          .then()
          .extract()
          .path("status")
          .equals(state)) {
        break;
      }
      patch(agent, id, "{\"status\":\"" + step + "\"}", null).statusCode(200);
    }
    return id;
  }

  @Test
  void aStaleWriteIs412() {
    Person agent = person(UUID.randomUUID(), "support");
    String id = create(agent, "Concurrent edits", "medium");
    patch(agent, id, "{\"subject\":\"First edit\"}", "\"1\"")
        .statusCode(200)
        .header("ETag", "\"2\"");
    problem(patch(agent, id, "{\"subject\":\"Stale edit\"}", "\"1\""), 412, "stale-version")
        .body("currentVersion", equalTo(2));
    problem(patch(agent, id, "{\"subject\":\"x\"}", "not-a-version"), 400, "invalid-if-match");
    given()
        .auth()
        .oauth2(agent.token())
        .get(TICKETS + "/" + id)
        .then()
        .body("subject", equalTo("First edit"));
  }

  @Test
  void searchFindsAWordOnlyInAComment() {
    UUID tenant = UUID.randomUUID();
    Person requester = person(tenant, "viewer");
    Person agent = person(tenant, "support");
    String target = create(requester, "Login trouble", "medium");
    create(requester, "Another problem", "medium");
    comment(requester, target, "The error mentions a kerberos ticket", "public").statusCode(201);
    comment(agent, target, "Escalated to the zanzibar team", "internal").statusCode(201);

    given()
        .auth()
        .oauth2(requester.token())
        .queryParam("q", "kerberos")
        .get(TICKETS)
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].id", equalTo(target));
    // Internal notes are searchable by staff only.
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("q", "zanzibar")
        .get(TICKETS)
        .then()
        .body("items", hasSize(1));
    given()
        .auth()
        .oauth2(requester.token())
        .queryParam("q", "zanzibar")
        .get(TICKETS)
        .then()
        .body("items", hasSize(0));
    // Both words: the public one alone does not let the internal one match for the requester.
    for (Person caller : List.of(agent, requester)) {
      given()
          .auth()
          .oauth2(caller.token())
          .queryParam("q", "kerberos zanzibar")
          .get(TICKETS)
          .then()
          .statusCode(200)
          .body("items", hasSize(caller == agent ? 1 : 0));
    }
    // Ranking: a subject match outranks a comment match.
    String inSubject = create(requester, "Kerberos keytab expired", "low");
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("q", "kerberos")
        .get(TICKETS)
        .then()
        .body("items.id", equalTo(List.of(inSubject, target)));
    // The requester never sees internal notes in the ticket either.
    given()
        .auth()
        .oauth2(requester.token())
        .get(TICKETS + "/" + target)
        .then()
        .body("comments", hasSize(1))
        .body("comments[0].visibility", equalTo("public"));
  }

  @Test
  void filtersSortsAndCursorPagesCoverEveryTicketOnce() {
    UUID tenant = UUID.randomUUID();
    Person agent = person(tenant, "support");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(create(agent, "Ticket " + i, i % 2 == 0 ? "critical" : "low"));
    }
    patch(agent, created.get(0), "{\"tags\":[\"vip\"]}", null).statusCode(200);
    for (String sort : List.of("-createdAt", "createdAt", "priority", "dueAt", "-updatedAt")) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        var request =
            given().auth().oauth2(agent.token()).queryParam("limit", 3).queryParam("sort", sort);
        if (cursor != null) {
          request.queryParam("cursor", cursor);
        }
        JsonPath page =
            request
                .get(TICKETS)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .extract()
                .jsonPath();
        seen.addAll(page.getList("items.id"));
        cursor = page.getString("nextCursor");
      } while (cursor != null);
      assertThat(seen).as(sort).containsExactlyInAnyOrderElementsOf(created);
      assertThat(seen).as(sort).doesNotHaveDuplicates();
    }
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("sort", "priority")
        .queryParam("limit", 4)
        .get(TICKETS)
        .then()
        .body("items.priority", equalTo(List.of("critical", "critical", "critical", "critical")));
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("priority", "low")
        .get(TICKETS)
        .then()
        .body("items", hasSize(3));
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("tag", "vip")
        .get(TICKETS)
        .then()
        .body("items", hasSize(1))
        .body("items[0].id", equalTo(created.get(0)));
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("status", "resolved")
        .get(TICKETS)
        .then()
        .body("items", hasSize(0));
  }

  @Test
  void requestersSeeOnlyTheirOwnAndOtherTenantsSeeNothing() {
    UUID tenant = UUID.randomUUID();
    Person alice = person(tenant, "viewer");
    Person bob = person(tenant, "analyst");
    Person stranger = person(UUID.randomUUID(), "owner");
    String id = create(alice, "Alice's ticket", "low");
    for (Person outsider : List.of(bob, stranger)) {
      problem(
          given().auth().oauth2(outsider.token()).get(TICKETS + "/" + id).then(), 404, "not-found");
      problem(patch(outsider, id, "{\"subject\":\"mine now\"}", null), 404, "not-found");
      problem(comment(outsider, id, "hello", "public"), 404, "not-found");
      problem(
          given().auth().oauth2(outsider.token()).get(TICKETS + "/" + id + "/comments").then(),
          404,
          "not-found");
      given()
          .auth()
          .oauth2(outsider.token())
          .get(TICKETS)
          .then()
          .statusCode(200)
          .body("items", hasSize(0));
    }
    // Staff-only fields and internal notes are refused to a requester on their own ticket.
    problem(patch(alice, id, "{\"priority\":\"critical\"}", null), 403, "forbidden-field");
    problem(patch(alice, id, "{\"status\":\"in_progress\"}", null), 403, "forbidden-field");
    problem(comment(alice, id, "note", "internal"), 403, "forbidden-field");
  }

  @Test
  void badInputIsAProblemOnEveryEndpoint() {
    Person agent = person(UUID.randomUUID(), "support");
    String id = create(agent, "Valid", "low");
    String[] badCreates = {
      "{not json",
      "{\"subject\":\"x\",\"priority\":\"urgent\"}",
      "{\"subject\":\"x\",\"priority\":5}",
      "{\"subject\":\"\",\"priority\":\"low\"}",
      "{\"subject\":\"x\",\"priority\":\"low\",\"colour\":\"red\"}",
      "{\"subject\":\"x\",\"priority\":\"low\",\"tags\":[\"a,b\"]}",
      "{\"subject\":\"" + "s".repeat(501) + "\",\"priority\":\"low\"}",
      "{\"priority\":\"low\"}",
    };
    for (String body : badCreates) {
      given()
          .auth()
          .oauth2(agent.token())
          .contentType(ContentType.JSON)
          .body(body)
          .post(TICKETS)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    given()
        .auth()
        .oauth2(agent.token())
        .contentType(ContentType.JSON)
        .body("{\"subject\":\"" + "x".repeat(70_000) + "\",\"priority\":\"low\"}")
        .post(TICKETS)
        .then()
        .statusCode(413)
        .contentType("application/problem+json");
    problem(
        given().auth().oauth2(agent.token()).get(TICKETS + "/not-a-uuid").then(), 404, "not-found");
    problem(
        given().auth().oauth2(agent.token()).get(TICKETS + "/" + UUID.randomUUID()).then(),
        404,
        "not-found");
    patch(agent, id, "{\"status\":\"done\"}", null)
        .statusCode(400)
        .contentType("application/problem+json");
    patch(agent, id, "{\"assigneeId\":\"x\"}", null)
        .statusCode(400)
        .contentType("application/problem+json");
    comment(agent, id, "", "public").statusCode(400).contentType("application/problem+json");
    comment(agent, id, "hi", "secret").statusCode(400).contentType("application/problem+json");
    for (String query :
        List.of(
            "status=done",
            "priority=urgent",
            "limit=0",
            "limit=101",
            "sort=name",
            "sort=relevance",
            "cursor=zzz",
            // Well-formed, but their timestamps lie past or before (4713 BC) what Postgres can
            // represent.
            "cursor=" + cursorOf("-createdAt|9223372036854775807|" + UUID.randomUUID()),
            "cursor=" + cursorOf("-createdAt|-300000000000000000|" + UUID.randomUUID()),
            "assignee=x")) {
      given()
          .auth()
          .oauth2(agent.token())
          .get(TICKETS + "?" + query)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    // A cursor made for one sort is refused for another, even one whose key has the same shape
    // (newest first vs oldest first); two tickets, so page one has a cursor.
    create(agent, "Second", "low");
    String cursor =
        given()
            .auth()
            .oauth2(agent.token())
            .queryParam("limit", 1)
            .get(TICKETS)
            .then()
            .statusCode(200)
            .body("items", hasSize(1))
            .extract()
            .path("nextCursor");
    assertThat(cursor).isNotNull();
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("cursor", cursor)
        .queryParam("limit", 1)
        .get(TICKETS)
        .then()
        .statusCode(200)
        .body("items", hasSize(1));
    given()
        .auth()
        .oauth2(agent.token())
        .queryParam("cursor", cursor)
        .queryParam("sort", "createdAt")
        .get(TICKETS)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    for (String ticket : List.of("not-a-uuid", UUID.randomUUID().toString())) {
      problem(
          given().auth().oauth2(agent.token()).get(TICKETS + "/" + ticket + "/comments").then(),
          404,
          "not-found");
    }
    given().get(TICKETS).then().statusCode(401);
  }

  private static String cursorOf(String raw) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
