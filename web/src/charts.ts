import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';

// Charts with Chart.js (only the bar parts are bundled). Series differ by pattern as well as colour,
// and every chart has a table beside it with the same numbers, for screen readers and print.

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Diagonal stripes, so a series is told apart without colour. */
function stripes(colour: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const context = tile.getContext('2d');
  if (!context) return colour;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, 8, 8);
  context.strokeStyle = colour;
  context.lineWidth = 3;
  context.beginPath();
  context.moveTo(0, 8);
  context.lineTo(8, 0);
  context.stroke();
  return context.createPattern(tile, 'repeat') ?? colour;
}

const charts = new WeakMap<HTMLCanvasElement, Chart>();

export interface Series {
  label: string;
  values: number[];
  striped?: boolean;
}

/** A bar chart (stacked when there are several series); `horizontal` for long category names. */
export function barChart(
  canvas: HTMLCanvasElement,
  labels: string[],
  series: Series[],
  options: { horizontal?: boolean; stacked?: boolean } = {},
): void {
  charts.get(canvas)?.destroy();
  // One readable row per bar: every country keeps its label (CSSOM styles are allowed by the CSP).
  if (options.horizontal && canvas.parentElement)
    canvas.parentElement.style.height = `${labels.length * 1.6 + 3}rem`;
  const colours = ['#0b4f8a', '#a4262c'];
  const datasets: ChartDataset<'bar'>[] = series.map((item, index) => ({
    label: item.label,
    data: item.values,
    backgroundColor: item.striped ? stripes(colours[index % 2]!) : colours[index % 2]!,
    borderColor: colours[index % 2]!,
    borderWidth: 2,
  }));
  charts.set(
    canvas,
    new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: options.horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: {
            stacked: options.stacked ?? false,
            ticks: { color: '#1b1f23', precision: 0, autoSkip: !options.horizontal },
          },
          y: {
            stacked: options.stacked ?? false,
            beginAtZero: true,
            ticks: { color: '#1b1f23', precision: 0, autoSkip: !options.horizontal },
          },
        },
        plugins: { legend: { display: series.length > 1, labels: { color: '#1b1f23' } } },
      },
    }),
  );
}
