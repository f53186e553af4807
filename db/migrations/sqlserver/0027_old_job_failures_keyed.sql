-- Jobs that failed before 0026 have no ErrorKey, and their Error (model folders, the download command, data-folder paths,
-- exception messages) is for admins only. Give them the key their text means, else the generic 'failed'; Error stays
-- as the detail. The texts matched are the ones the worker wrote then (ModelCatalog, the lease sweep).
UPDATE TranscriptionJob SET ErrorArgs = '[]', ErrorKey = CASE
        WHEN Error LIKE 'No whisper model found%' THEN 'no-model'
        WHEN Error LIKE 'The worker stopped before finishing%' THEN 'worker-died'
        ELSE 'failed' END
    WHERE ErrorKey IS NULL AND Error IS NOT NULL;
