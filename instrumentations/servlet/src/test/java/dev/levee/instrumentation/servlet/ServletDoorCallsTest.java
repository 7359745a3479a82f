package dev.levee.instrumentation.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServletDoorCallsTest {

  @Test
  void pathsAreMatchedDecodedAndWithoutPathParameters() {
    assertEquals("/", ServletDoorCalls.decodedPath(null));
    assertEquals("/api/users", ServletDoorCalls.decodedPath("/api/users"));
    assertEquals("/api/users", ServletDoorCalls.decodedPath("/%61pi/users"), "an escape cannot dodge a rule");
    assertEquals("/shop/cart", ServletDoorCalls.decodedPath("/shop;jsessionid=ABC/cart;v=1"));
    assertEquals("/caf\u00e9 100%", ServletDoorCalls.decodedPath("/caf%C3%A9%20100%"), "a malformed escape is kept");
  }
}
