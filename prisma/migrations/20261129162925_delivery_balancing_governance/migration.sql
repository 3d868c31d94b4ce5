-- CreateEnum
CREATE TYPE "ReserveDirection" AS ENUM ('UP', 'DOWN');

-- CreateEnum
CREATE TYPE "ReserveOfferStatus" AS ENUM ('OFFERED', 'ACTIVATED', 'EXPIRED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "GridEventKind" AS ENUM ('HALT', 'RESUME', 'FREQUENCY_EXCURSION', 'LINK_OVERLOAD', 'RESERVE_ACTIVATION', 'ALERT');

-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('OPEN', 'PASSED', 'REJECTED', 'EXECUTED', 'EXPIRED');

-- AlterTable
ALTER TABLE "meter" ADD COLUMN     "label" TEXT,
ADD COLUMN     "registered_by_id" UUID;

-- AlterTable
ALTER TABLE "certificate" ADD COLUMN     "claim_period" TEXT,
ADD COLUMN     "decided_at" TIMESTAMPTZ(3),
ADD COLUMN     "decided_by_id" UUID;

-- CreateTable
CREATE TABLE "delivery_settlement" (
    "trade_id" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "delivered_wh" BIGINT NOT NULL,
    "shortfall_wh" BIGINT NOT NULL,
    "imbalance_price_ticks" INTEGER NOT NULL,
    "released_satang" BIGINT NOT NULL,
    "refunded_satang" BIGINT NOT NULL,
    "imbalance_charge_satang" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_settlement_pkey" PRIMARY KEY ("trade_id")
);

-- CreateTable
CREATE TABLE "imbalance_price" (
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "zone" TEXT NOT NULL,
    "price_ticks" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "imbalance_price_pkey" PRIMARY KEY ("interval_start","zone")
);

-- CreateTable
CREATE TABLE "imbalance_position" (
    "account_id" UUID NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "zone" TEXT NOT NULL,
    "scheduled_wh" BIGINT NOT NULL,
    "metered_wh" BIGINT NOT NULL,
    "imbalance_wh" BIGINT NOT NULL,
    "price_ticks" INTEGER NOT NULL,
    "charge_satang" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "imbalance_position_pkey" PRIMARY KEY ("account_id","interval_start","zone")
);

-- CreateTable
CREATE TABLE "reserve_offer" (
    "id" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "meter_id" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "hour_start" TIMESTAMPTZ(3) NOT NULL,
    "direction" "ReserveDirection" NOT NULL,
    "power_w" BIGINT NOT NULL,
    "price_ticks" INTEGER NOT NULL,
    "status" "ReserveOfferStatus" NOT NULL DEFAULT 'OFFERED',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reserve_offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reserve_activation" (
    "id" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "hour_start" TIMESTAMPTZ(3) NOT NULL,
    "direction" "ReserveDirection" NOT NULL,
    "requested_w" BIGINT NOT NULL,
    "activated_w" BIGINT NOT NULL,
    "clearing_price_ticks" INTEGER NOT NULL,
    "activated_by_id" UUID,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reserve_activation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reserve_award" (
    "activation_id" TEXT NOT NULL,
    "offer_id" TEXT NOT NULL,
    "power_w" BIGINT NOT NULL,
    "price_ticks" INTEGER NOT NULL,

    CONSTRAINT "reserve_award_pkey" PRIMARY KEY ("activation_id","offer_id")
);

-- CreateTable
CREATE TABLE "grid_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" "GridEventKind" NOT NULL,
    "zone" TEXT,
    "actor_id" UUID,
    "details" JSONB,
    "chain_tx_hash" TEXT,

    CONSTRAINT "grid_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "frequency_sample" (
    "at" TIMESTAMPTZ(3) NOT NULL,
    "frequency_mhz" INTEGER NOT NULL,
    "imbalance_wh" BIGINT NOT NULL,

    CONSTRAINT "frequency_sample_pkey" PRIMARY KEY ("at")
);

-- CreateTable
CREATE TABLE "proposal" (
    "id" TEXT NOT NULL,
    "proposer_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "action" JSONB NOT NULL,
    "deadline_height" BIGINT NOT NULL,
    "effective_height" BIGINT NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'OPEN',
    "chain_tx_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "proposal_vote" (
    "proposal_id" TEXT NOT NULL,
    "voter_id" UUID NOT NULL,
    "approve" BOOLEAN NOT NULL,
    "chain_tx_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "proposal_vote_pkey" PRIMARY KEY ("proposal_id","voter_id")
);

-- CreateTable
CREATE TABLE "daily_report" (
    "day" TEXT NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL,
    "json" TEXT NOT NULL,
    "csv" TEXT NOT NULL,
    "json_sha256" TEXT NOT NULL,
    "csv_sha256" TEXT NOT NULL,
    "json_signature" TEXT NOT NULL,
    "csv_signature" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,

    CONSTRAINT "daily_report_pkey" PRIMARY KEY ("day")
);

-- CreateIndex
CREATE INDEX "delivery_settlement_interval_start_idx" ON "delivery_settlement"("interval_start");

-- CreateIndex
CREATE INDEX "imbalance_position_interval_start_zone_idx" ON "imbalance_position"("interval_start", "zone");

-- CreateIndex
CREATE INDEX "reserve_offer_hour_start_zone_direction_status_idx" ON "reserve_offer"("hour_start", "zone", "direction", "status");

-- CreateIndex
CREATE INDEX "reserve_activation_hour_start_zone_idx" ON "reserve_activation"("hour_start", "zone");

-- CreateIndex
CREATE INDEX "grid_event_at_idx" ON "grid_event"("at");

-- CreateIndex
CREATE INDEX "grid_event_kind_at_idx" ON "grid_event"("kind", "at");

-- CreateIndex
CREATE INDEX "proposal_status_idx" ON "proposal"("status");

-- CreateIndex
CREATE INDEX "meter_zone_idx" ON "meter"("zone");

-- AddForeignKey
ALTER TABLE "reserve_offer" ADD CONSTRAINT "reserve_offer_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reserve_award" ADD CONSTRAINT "reserve_award_activation_id_fkey" FOREIGN KEY ("activation_id") REFERENCES "reserve_activation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reserve_award" ADD CONSTRAINT "reserve_award_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "reserve_offer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal_vote" ADD CONSTRAINT "proposal_vote_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

