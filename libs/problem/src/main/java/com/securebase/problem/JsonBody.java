package com.securebase.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * A request body read as a JSON tree by an endpoint that checks it field by field (batches with an
 * answer per record), with the same problems the mappers give a bound body.
 */
public final class JsonBody {
  private JsonBody() {}

  /**
   * @throws ProblemException 400 {@code malformed-request} when the body is not JSON, 400 on {@code
   *     field} with {@code shape} when it is empty or not an object
   */
  public static JsonNode object(ObjectReader reader, byte[] body, String field, String shape) {
    JsonNode root;
    try {
      root = body == null || body.length == 0 ? null : reader.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ProblemException(
          400, "malformed-request", "Malformed request", "The body is not valid JSON");
    } catch (IOException e) {
      throw new ProblemException(400, "malformed-request", "Malformed request", e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ProblemException.invalidField(field, shape);
    }
    return root;
  }
}
