package io.streamfold.service.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals, made before a request reaches the routes (a NUL or invalid UTF-8 in the
 * path, an unparseable request line or header), answered as problem+json like everything else
 * instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
    response.write(
        true, ByteBuffer.wrap(body(code, message, request.getHttpURI().getPath())), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE));
    return ByteBuffer.wrap(body(status, reason, null));
  }

  private static byte[] body(int status, String message, String path) {
    String title = HttpStatus.getMessage(status);
    Problem problem =
        Problem.of(
            status,
            status == 400 ? "bad-request" : "http-" + status,
            title,
            message == null || message.isBlank()
                ? "The request was refused by the HTTP layer: " + title
                : "The request was refused by the HTTP layer: " + message);
    try {
      return Json.mapper().writeValueAsBytes(problem.body(path));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
