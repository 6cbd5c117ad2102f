import type { FlowRecorder } from "../console/flow-recorder";

/** Fills the console's flow with `count` unmatched confirmations (`load-<n>`, order `L<n>`): the 10,000-event load tests. */
export function fillFlowWithConfirmations(flow: FlowRecorder, eventBusName: string, count: number): void {
  for (let index = 0; index < count; index += 1)
    flow.add(
      {
        version: "0",
        id: `load-${index}`,
        "detail-type": "WalletPaymentConfirmed",
        source: "load.test",
        account: "000000000000",
        time: new Date().toISOString(),
        region: "ap-southeast-1",
        resources: [],
        detail: { orderId: `L${index}`, paymentId: `p${index}`, success: true, amount: index },
      },
      eventBusName,
      new Date(),
      [],
    );
}
