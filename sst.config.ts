import type { SSTConfig } from "sst";
import { WalletEventsStack } from "./stacks/wallet-events-stack";

export default {
  config() {
    return { name: "payment3", region: "ap-southeast-1" };
  },
  stacks(app) {
    app.stack(WalletEventsStack);
  },
} satisfies SSTConfig;
