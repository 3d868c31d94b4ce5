-- AlterTable
ALTER TABLE "account" ADD COLUMN     "authority" TEXT;

-- AlterTable
ALTER TABLE "meter_reading" ADD COLUMN     "burn_tx_hash" TEXT,
ADD COLUMN     "burned_wh" BIGINT,
ADD COLUMN     "utility_satang" BIGINT,
ADD COLUMN     "utility_tariff_ticks" INTEGER,
ADD COLUMN     "utility_wh" BIGINT;

-- AlterTable
ALTER TABLE "delivery_settlement" ADD COLUMN     "fee_satang" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "rounding_residue" DECIMAL(30,12) NOT NULL DEFAULT 0,
ADD COLUMN     "wheeling_satang" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "reserve_award" ADD COLUMN     "delivered_wh" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "paid_satang" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "meter_reading_interval_start_idx" ON "meter_reading"("interval_start");

