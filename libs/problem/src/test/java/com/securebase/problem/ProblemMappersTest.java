package com.securebase.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProblemMappersTest {
  private static final String VALID =
      "{\"name\":\"a\",\"count\":2,\"priority\":\"HIGH\",\"ownerId\":\"0b7e1b8e-2d3c-4e59-9d7c-1c9a3f1d2e4b\"}";

  private static ValidatableResponse post(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/samples").then();
  }

  private static ValidatableResponse problem(
      ValidatableResponse response, int status, String slug) {
    return response
        .statusCode(status)
        .contentType("application/problem+json")
        .body("type", equalTo(Problem.TYPE_BASE + slug))
        .body("status", equalTo(status))
        .body("title", notNullValue())
        .body("instance", startsWith("/samples"));
  }

  @Test
  void validBodyPasses() {
    post(VALID).statusCode(200).body("name", equalTo("a"));
  }

  @Test
  void malformedJson() {
    problem(post("{\"name\": \"a\", "), 400, "malformed-request")
        .body("detail", containsString("not valid JSON"));
  }

  @Test
  void wrongType() {
    problem(post(VALID.replace("\"count\":2", "\"count\":\"two\"")), 400, "invalid-value")
        .body("errors[0].field", equalTo("count"))
        .body("errors[0].message", containsString("integer"));
  }

  @Test
  void scalarsAreNotCoerced() {
    problem(post(VALID.replace("\"name\":\"a\"", "\"name\":42")), 400, "invalid-value")
        .body("errors[0].field", equalTo("name"));
    problem(post(VALID.replace("\"count\":2", "\"count\":\"2\"")), 400, "invalid-value")
        .body("errors[0].field", equalTo("count"));
  }

  @Test
  void aDateTimeIsAnRfc3339StringNotAnEpochNumber() {
    post(VALID.replace("{", "{\"dueAt\":\"2026-12-03T10:00:00Z\",")).statusCode(200);
    for (String number : List.of("7", "7.5")) {
      problem(post(VALID.replace("{", "{\"dueAt\":" + number + ",")), 400, "invalid-value")
          .body("errors[0].field", equalTo("dueAt"));
    }
  }

  @Test
  void unknownEnum() {
    problem(post(VALID.replace("HIGH", "URGENT")), 400, "invalid-value")
        .body("errors[0].field", equalTo("priority"))
        .body("errors[0].message", equalTo("must be one of [LOW, HIGH]"));
  }

  @Test
  void badUuidInBody() {
    problem(
            post(VALID.replace("0b7e1b8e-2d3c-4e59-9d7c-1c9a3f1d2e4b", "not-a-uuid")),
            400,
            "invalid-value")
        .body("errors[0].field", equalTo("ownerId"));
  }

  @Test
  void unknownField() {
    problem(post(VALID.replace("{", "{\"admin\":true,")), 400, "unknown-field")
        .body("errors[0].field", equalTo("admin"));
  }

  @Test
  void constraintViolationsListEveryField() {
    problem(
            post("{\"name\":\"\",\"count\":99,\"priority\":\"LOW\",\"tags\":[\"\"]}"),
            400,
            "validation-failed")
        .body("errors", hasSize(3))
        .body("errors.field", hasItem("count"))
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("tags[0]"));
  }

  @Test
  void emptyBody() {
    problem(
        given().contentType(ContentType.JSON).post("/samples").then(), 400, "validation-failed");
  }

  @Test
  void oversizedBody() {
    String big = VALID.replace("\"name\":\"a\"", "\"name\":\"" + "x".repeat(8000) + "\"");
    given()
        .contentType(ContentType.JSON)
        .body(big)
        .post("/samples")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("type", equalTo(Problem.TYPE_BASE + "payload-too-large"));
  }

  @Test
  void badIdInPath() {
    problem(given().get("/samples/123").then(), 404, "not-found");
  }

  @Test
  void notFound() {
    problem(given().get("/samples/0b7e1b8e-2d3c-4e59-9d7c-1c9a3f1d2e4b").then(), 404, "not-found")
        .body("detail", containsString("Sample"));
  }

  @Test
  void conflictCarriesExtensions() {
    problem(
            given().post("/samples/0b7e1b8e-2d3c-4e59-9d7c-1c9a3f1d2e4b/close").then(),
            409,
            "illegal-transition")
        .body("from", equalTo("closed"))
        .body("to", equalTo("open"));
  }

  @Test
  void unsupportedMediaType() {
    problem(
        given().contentType(ContentType.TEXT).body("hi").post("/samples").then(),
        415,
        "unsupported-media-type");
  }

  @Test
  void methodNotAllowed() {
    problem(given().delete("/samples/boom").then(), 405, "method-not-allowed");
  }

  @Test
  void declaredQueryParametersPass() {
    given().get("/samples?status=open&limit=5").then().statusCode(200).body("[0]", equalTo("open"));
  }

  @Test
  void unknownQueryParameterIsNamed() {
    problem(given().get("/samples?stauts=open&limit=5").then(), 400, "unknown-parameter")
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("stauts"))
        .body("detail", containsString("it takes limit, status"));
  }

  @Test
  void anOperationWithoutParametersTakesNone() {
    problem(
            given().get("/samples/" + java.util.UUID.randomUUID() + "?x=1").then(),
            400,
            "unknown-parameter")
        .body("detail", containsString("which takes none"));
  }

  @Test
  void unexpectedErrorLeaksNothing() {
    problem(given().get("/samples/boom").then(), 500, "internal-error")
        .body("errorId", notNullValue())
        .body(not(containsString("hunter2")))
        .body(not(containsString("IllegalStateException")))
        .body(not(containsString("at com.")));
  }
}
