package dev.levee.instrumentation.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class RealCallsTest {

  final OkHttpClient client = new OkHttpClient();

  @Test
  void markingACallExecutedSetsOkHttpsOwnFlag() throws Exception {
    Call call = client.newCall(new Request.Builder().url("http://127.0.0.1:1/").build());
    assertFalse(call.isExecuted());

    assertTrue(RealCalls.markExecuted(call));

    assertTrue(call.isExecuted(), "the app sees the call as executed");
    assertFalse(RealCalls.markExecuted(call), "only once");
    IllegalStateException again = assertThrows(IllegalStateException.class, call::execute,
        "OkHttp's own check refuses a second execute, with its own message");
    assertEquals("Already Executed", again.getMessage());
  }

  @Test
  void theClientAndTheWebSocketFlagAreRead() throws Exception {
    Call call = client.newCall(new Request.Builder().url("http://127.0.0.1:1/").build());
    assertSame(client, RealCalls.client(call));
    assertFalse(RealCalls.isForWebSocket(call));
  }
}
