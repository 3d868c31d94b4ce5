-- CreateEnum
CREATE TYPE "AuctionStatus" AS ENUM ('CLEARED', 'FAILED');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SUBMITTED', 'FINAL', 'FAILED');

-- DropForeignKey
ALTER TABLE "trade" DROP CONSTRAINT "trade_buy_order_id_fkey";

-- DropForeignKey
ALTER TABLE "trade" DROP CONSTRAINT "trade_sell_order_id_fkey";

-- DropIndex
DROP INDEX "trade_interval_start_buy_zone_idx";

-- AlterTable
ALTER TABLE "order" ADD COLUMN     "client_order_id" TEXT,
ADD COLUMN     "reason" TEXT,
ADD COLUMN     "seq" BIGINT;

-- AlterTable
ALTER TABLE "trade" ADD COLUMN     "buyer_fee_satang" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "notional_satang" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "rounding_residue" DECIMAL(30,12) NOT NULL DEFAULT 0,
ADD COLUMN     "seller_fee_satang" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "seq" BIGINT,
ADD COLUMN     "taker_side" "Side",
ADD COLUMN     "wheeling_satang" BIGINT NOT NULL DEFAULT 0,
ALTER COLUMN "buy_order_id" DROP NOT NULL,
ALTER COLUMN "sell_order_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "order_profile" (
    "order_id" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "quantity_wh" BIGINT NOT NULL,

    CONSTRAINT "order_profile_pkey" PRIMARY KEY ("order_id","interval_start")
);

-- CreateTable
CREATE TABLE "order_acceptance" (
    "order_id" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "quantity_wh" BIGINT NOT NULL,
    "ratio_ppm" INTEGER NOT NULL,

    CONSTRAINT "order_acceptance_pkey" PRIMARY KEY ("order_id","interval_start")
);

-- CreateTable
CREATE TABLE "auction_run" (
    "day" TEXT NOT NULL,
    "status" "AuctionStatus" NOT NULL,
    "cleared_at" TIMESTAMPTZ(3) NOT NULL,
    "order_count" INTEGER NOT NULL,
    "welfare" DECIMAL(38,6) NOT NULL,
    "input_hash" TEXT NOT NULL,
    "error" TEXT,

    CONSTRAINT "auction_run_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "auction_price" (
    "day" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "zone" TEXT NOT NULL,
    "price_ticks" INTEGER NOT NULL,
    "buy_wh" BIGINT NOT NULL,
    "sell_wh" BIGINT NOT NULL,

    CONSTRAINT "auction_price_pkey" PRIMARY KEY ("interval_start","zone")
);

-- CreateTable
CREATE TABLE "auction_flow" (
    "day" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "from_zone" TEXT NOT NULL,
    "to_zone" TEXT NOT NULL,
    "quantity_wh" BIGINT NOT NULL,

    CONSTRAINT "auction_flow_pkey" PRIMARY KEY ("interval_start","from_zone","to_zone")
);

-- CreateTable
CREATE TABLE "market_command" (
    "seq" BIGINT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "account_id" UUID,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "market_command_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "settlement_outbox" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "tx_hash" TEXT,
    "height" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "final_at" TIMESTAMPTZ(3),

    CONSTRAINT "settlement_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "engine_state" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engine_state_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "auction_price_day_idx" ON "auction_price"("day");

-- CreateIndex
CREATE INDEX "auction_flow_day_idx" ON "auction_flow"("day");

-- CreateIndex
CREATE INDEX "market_command_interval_start_seq_idx" ON "market_command"("interval_start", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "settlement_outbox_key_key" ON "settlement_outbox"("key");

-- CreateIndex
CREATE INDEX "settlement_outbox_status_id_idx" ON "settlement_outbox"("status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "order_account_id_client_order_id_key" ON "order"("account_id", "client_order_id");

-- CreateIndex
CREATE INDEX "trade_interval_start_buy_zone_created_at_idx" ON "trade"("interval_start", "buy_zone", "created_at");

-- CreateIndex
CREATE INDEX "trade_interval_start_sell_zone_created_at_idx" ON "trade"("interval_start", "sell_zone", "created_at");

-- AddForeignKey
ALTER TABLE "order_profile" ADD CONSTRAINT "order_profile_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_acceptance" ADD CONSTRAINT "order_acceptance_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auction_price" ADD CONSTRAINT "auction_price_day_fkey" FOREIGN KEY ("day") REFERENCES "auction_run"("day") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auction_flow" ADD CONSTRAINT "auction_flow_day_fkey" FOREIGN KEY ("day") REFERENCES "auction_run"("day") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade" ADD CONSTRAINT "trade_buy_order_id_fkey" FOREIGN KEY ("buy_order_id") REFERENCES "order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade" ADD CONSTRAINT "trade_sell_order_id_fkey" FOREIGN KEY ("sell_order_id") REFERENCES "order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

