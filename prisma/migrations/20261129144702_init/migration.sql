-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('TRADER', 'OPERATOR', 'ADMIN', 'AUTHORITY');

-- CreateEnum
CREATE TYPE "MarketKind" AS ENUM ('DAY_AHEAD', 'CONTINUOUS');

-- CreateEnum
CREATE TYPE "Side" AS ENUM ('BUY', 'SELL');

-- CreateEnum
CREATE TYPE "OrderType" AS ENUM ('LIMIT', 'MARKET', 'BLOCK');

-- CreateEnum
CREATE TYPE "TimeInForce" AS ENUM ('GTC', 'IOC', 'FOK');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('OPEN', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'EXPIRED', 'REJECTED');

-- CreateEnum
CREATE TYPE "SettlementStatus" AS ENUM ('PENDING', 'SUBMITTED', 'FINAL', 'FAILED');

-- CreateEnum
CREATE TYPE "MeterKind" AS ENUM ('SOLAR', 'WIND', 'HYDRO', 'BIOMASS', 'BATTERY', 'CONSUMPTION');

-- CreateEnum
CREATE TYPE "CertificateStatus" AS ENUM ('REQUESTED', 'ISSUED', 'REJECTED', 'RETIRED', 'REVOKED');

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'TRADER',
    "chain_public_key" BYTEA,
    "chain_key_ciphertext" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "token_hash" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "zone" (
    "code" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "name_th" TEXT NOT NULL,
    "authority" TEXT NOT NULL,
    "halted" BOOLEAN NOT NULL DEFAULT false,
    "halt_reason" TEXT,

    CONSTRAINT "zone_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "link" (
    "from_zone" TEXT NOT NULL,
    "to_zone" TEXT NOT NULL,
    "capacity_wh" BIGINT NOT NULL,
    "wheeling_ticks" INTEGER NOT NULL,

    CONSTRAINT "link_pkey" PRIMARY KEY ("from_zone","to_zone")
);

-- CreateTable
CREATE TABLE "market_parameter" (
    "key" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "market_parameter_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "delivery_interval" (
    "start" TIMESTAMPTZ(3) NOT NULL,
    "end" TIMESTAMPTZ(3) NOT NULL,
    "day_ahead_closure" TIMESTAMPTZ(3) NOT NULL,
    "continuous_open" TIMESTAMPTZ(3) NOT NULL,
    "continuous_close" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_interval_pkey" PRIMARY KEY ("start")
);

-- CreateTable
CREATE TABLE "order" (
    "id" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "market" "MarketKind" NOT NULL,
    "zone" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "side" "Side" NOT NULL,
    "type" "OrderType" NOT NULL,
    "tif" "TimeInForce" NOT NULL DEFAULT 'GTC',
    "post_only" BOOLEAN NOT NULL DEFAULT false,
    "price_ticks" INTEGER NOT NULL,
    "quantity_wh" BIGINT NOT NULL,
    "remaining_wh" BIGINT NOT NULL,
    "min_acceptance_ppm" INTEGER,
    "status" "OrderStatus" NOT NULL DEFAULT 'OPEN',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trade" (
    "id" TEXT NOT NULL,
    "market" "MarketKind" NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "buy_zone" TEXT NOT NULL,
    "sell_zone" TEXT NOT NULL,
    "buy_order_id" TEXT NOT NULL,
    "sell_order_id" TEXT NOT NULL,
    "buyer_id" UUID NOT NULL,
    "seller_id" UUID NOT NULL,
    "price_ticks" INTEGER NOT NULL,
    "quantity_wh" BIGINT NOT NULL,
    "wheeling_ticks" INTEGER NOT NULL DEFAULT 0,
    "settlement_status" "SettlementStatus" NOT NULL DEFAULT 'PENDING',
    "chain_tx_hash" TEXT,
    "chain_height" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trade_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meter" (
    "id" TEXT NOT NULL,
    "owner_id" UUID NOT NULL,
    "zone" TEXT NOT NULL,
    "kind" "MeterKind" NOT NULL,
    "capacity_w" BIGINT NOT NULL,
    "public_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "meter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meter_reading" (
    "meter_id" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "injected_wh" BIGINT NOT NULL,
    "withdrawn_wh" BIGINT NOT NULL,
    "signature" BYTEA NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "chain_tx_hash" TEXT,

    CONSTRAINT "meter_reading_pkey" PRIMARY KEY ("meter_id","interval_start")
);

-- CreateTable
CREATE TABLE "certificate" (
    "id" TEXT NOT NULL,
    "owner_id" UUID NOT NULL,
    "meter_id" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "technology" "MeterKind" NOT NULL,
    "amount_wh" BIGINT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "status" "CertificateStatus" NOT NULL DEFAULT 'REQUESTED',
    "issuer" TEXT,
    "rejection_reason" TEXT,
    "beneficiary" TEXT,
    "retired_at" TIMESTAMPTZ(3),
    "chain_tx_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chain_block" (
    "height" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "parent_hash" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "proposer" TEXT NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 0,
    "tx_count" INTEGER NOT NULL,
    "tx_root" TEXT NOT NULL,
    "state_root" TEXT NOT NULL,

    CONSTRAINT "chain_block_pkey" PRIMARY KEY ("height")
);

-- CreateTable
CREATE TABLE "chain_tx" (
    "hash" TEXT NOT NULL,
    "height" BIGINT NOT NULL,
    "index" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "signer" TEXT,

    CONSTRAINT "chain_tx_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "ip" TEXT,
    "request_id" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_email_key" ON "account"("email");

-- CreateIndex
CREATE UNIQUE INDEX "account_chain_public_key_key" ON "account"("chain_public_key");

-- CreateIndex
CREATE INDEX "session_account_id_idx" ON "session"("account_id");

-- CreateIndex
CREATE INDEX "order_account_id_status_idx" ON "order"("account_id", "status");

-- CreateIndex
CREATE INDEX "order_market_zone_interval_start_status_idx" ON "order"("market", "zone", "interval_start", "status");

-- CreateIndex
CREATE INDEX "trade_interval_start_buy_zone_idx" ON "trade"("interval_start", "buy_zone");

-- CreateIndex
CREATE INDEX "trade_buyer_id_idx" ON "trade"("buyer_id");

-- CreateIndex
CREATE INDEX "trade_seller_id_idx" ON "trade"("seller_id");

-- CreateIndex
CREATE INDEX "trade_settlement_status_idx" ON "trade"("settlement_status");

-- CreateIndex
CREATE UNIQUE INDEX "meter_public_key_key" ON "meter"("public_key");

-- CreateIndex
CREATE INDEX "meter_owner_id_idx" ON "meter"("owner_id");

-- CreateIndex
CREATE INDEX "certificate_owner_id_idx" ON "certificate"("owner_id");

-- CreateIndex
CREATE INDEX "certificate_status_idx" ON "certificate"("status");

-- CreateIndex
CREATE UNIQUE INDEX "chain_block_hash_key" ON "chain_block"("hash");

-- CreateIndex
CREATE INDEX "chain_tx_signer_idx" ON "chain_tx"("signer");

-- CreateIndex
CREATE UNIQUE INDEX "chain_tx_height_index_key" ON "chain_tx"("height", "index");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link" ADD CONSTRAINT "link_from_zone_fkey" FOREIGN KEY ("from_zone") REFERENCES "zone"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link" ADD CONSTRAINT "link_to_zone_fkey" FOREIGN KEY ("to_zone") REFERENCES "zone"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_zone_fkey" FOREIGN KEY ("zone") REFERENCES "zone"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_interval_start_fkey" FOREIGN KEY ("interval_start") REFERENCES "delivery_interval"("start") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade" ADD CONSTRAINT "trade_interval_start_fkey" FOREIGN KEY ("interval_start") REFERENCES "delivery_interval"("start") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade" ADD CONSTRAINT "trade_buy_order_id_fkey" FOREIGN KEY ("buy_order_id") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade" ADD CONSTRAINT "trade_sell_order_id_fkey" FOREIGN KEY ("sell_order_id") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade" ADD CONSTRAINT "trade_buyer_id_fkey" FOREIGN KEY ("buyer_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade" ADD CONSTRAINT "trade_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meter" ADD CONSTRAINT "meter_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meter" ADD CONSTRAINT "meter_zone_fkey" FOREIGN KEY ("zone") REFERENCES "zone"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meter_reading" ADD CONSTRAINT "meter_reading_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_tx" ADD CONSTRAINT "chain_tx_height_fkey" FOREIGN KEY ("height") REFERENCES "chain_block"("height") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

