-- +goose Up
-- A picture is served by its image id (/bilder/{id}: ReportImage joins
-- report_images on image_id) and deleting an image cascades by image_id;
-- the primary key (report_id, image_id) cannot serve either.
CREATE INDEX report_images_image_idx ON report_images (image_id);

-- +goose Down
DROP INDEX report_images_image_idx;
